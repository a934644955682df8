import Database from 'better-sqlite3';
import type {
  AppendResult,
  ExpectedRevision,
  NewEvent,
} from '../../application/ports/eventStore.js';
import { ConcurrencyError } from '../../domain/shared/errors.js';
import type { Outcome } from '../threads/wireErrors.js';

/** The revision of a stream with no events, as in EventStoreDB's legacy `ExpectedVersion.NoStream`. */
const NO_STREAM = -1;

type StreamHead = { revision: number; position: number; recorded_at: number };
type Located = { stream_id: string; revision: number };
type Written = { id: string; revision: number; position: number; recorded_at: number };

export type AppendOutcome = { result: AppendResult; written: boolean };
/** What each append of a group came to: its outcome, or why it was refused. */
export type GroupResult = Outcome<AppendOutcome>;
export type AppendRequest = {
  streamId: string;
  events: readonly NewEvent[];
  expected: ExpectedRevision;
};

const resultOf = (row: StreamHead): AppendResult => ({
  nextRevision: row.revision,
  position: row.position,
  recordedAt: new Date(row.recorded_at),
});

const holds = (expected: ExpectedRevision, current: number): boolean => {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === NO_STREAM;
    case 'stream_exists':
      return current !== NO_STREAM;
    default:
      return current === expected;
  }
};

const conflict = (streamId: string, expected: ExpectedRevision, current: number) =>
  new ConcurrencyError(
    streamId,
    String(expected),
    current === NO_STREAM ? 'no_stream' : String(current),
  );

const isUniqueViolation = (error: unknown) =>
  error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_UNIQUE';

const assertWellFormed = (events: readonly NewEvent[], expected: ExpectedRevision) => {
  if (typeof expected === 'number' && !(Number.isSafeInteger(expected) && expected >= NO_STREAM)) {
    throw new RangeError(`Expected revision must be an integer >= ${NO_STREAM}, got ${expected}`);
  }
  // A repeated id inside one batch is a caller bug; left alone it would surface as a conflict.
  if (events.length > 1 && new Set(events.map((event) => event.id)).size !== events.length) {
    throw new RangeError('Event ids must be unique within an append');
  }
};

/**
 * Appends batches of appends in BEGIN IMMEDIATE transactions: the write lock is taken before the head is
 * read, so the check and the insert see the same stream even with other processes writing.
 * Idempotency costs nothing on the happy path: a retried append only shows up as a failed
 * expectation or a duplicate id, and only then do we look for the earlier identical append.
 */
export const createAppender = (db: Database.Database) => {
  const headOf = db.prepare<[string], StreamHead>(
    'SELECT revision, position, recorded_at FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
  );
  const insert = db.prepare<[string, string, number, string, string, string, number]>(
    `INSERT INTO events (id, stream_id, revision, type, data, metadata, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const locate = db.prepare<[string], Located>(
    'SELECT stream_id, revision FROM events WHERE id = ?',
  );
  const writtenFrom = db.prepare<[string, number, number], Written>(
    `SELECT id, revision, position, recorded_at FROM events
     WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
  );

  const write = db.transaction(
    (streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): AppendResult => {
      const head = headOf.get(streamId);
      const current = head?.revision ?? NO_STREAM;
      if (!holds(expected, current)) throw conflict(streamId, expected, current);
      // An empty append still checks its expectation, so it can assert a stream's revision;
      // position 0 for a missing stream sits before every real position (they start at 1).
      if (events.length === 0)
        return head ? resultOf(head) : { nextRevision: current, position: 0 };
      const recordedAt = Date.now();
      let position = 0;
      events.forEach((event, offset) => {
        const info = insert.run(
          event.id,
          streamId,
          current + 1 + offset,
          event.type,
          JSON.stringify(event.data ?? null),
          JSON.stringify(event.metadata ?? {}),
          recordedAt,
        );
        position = Number(info.lastInsertRowid);
      });
      return { nextRevision: current + events.length, position, recordedAt: new Date(recordedAt) };
    },
  );

  /** Where the earlier identical append began, if this batch could be a retry of one. */
  const priorStart = (streamId: string, firstId: string, expected: ExpectedRevision) => {
    if (typeof expected === 'number') return expected + 1;
    if (expected === 'no_stream') return 0;
    // 'any' and 'stream_exists' do not say where the batch went: trust the first id's revision.
    const found = locate.get(firstId);
    return found?.stream_id === streamId ? found.revision : undefined;
  };

  const findPriorAppend = (
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): AppendResult | undefined => {
    const first = events[0];
    if (first === undefined) return undefined;
    const start = priorStart(streamId, first.id, expected);
    if (start === undefined) return undefined;
    const rows = writtenFrom.all(streamId, start, events.length);
    const same =
      rows.length === events.length &&
      rows.every((row, i) => row.revision === start + i && row.id === events[i]?.id);
    const last = rows.at(-1);
    return same && last ? resultOf(last) : undefined;
  };

  /** After a failed write: the earlier identical append's result, or the error to report. */
  const resolveFailure = (
    error: unknown,
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): AppendOutcome => {
    if (!(error instanceof ConcurrencyError) && !isUniqueViolation(error)) throw error;
    // Ids never change once committed, so this read needs no transaction of its own.
    const prior = findPriorAppend(streamId, events, expected);
    if (prior) return { result: prior, written: false };
    if (error instanceof ConcurrencyError) throw error;
    throw conflict(streamId, expected, headOf.get(streamId)?.revision ?? NO_STREAM);
  };

  /**
   * Group commit: every append of one batch runs in its own savepoint (better-sqlite3 nests
   * transaction functions that way) inside one IMMEDIATE transaction, so a conflict undoes only
   * its own append while the batch shares one commit, and so one fsync.
   */
  const writeGroup = db.transaction((batch: readonly AppendRequest[]) =>
    batch.map((request): { result: AppendResult } | { error: unknown } => {
      try {
        return { result: write(request.streamId, request.events, request.expected) };
      } catch (error) {
        return { error };
      }
    }),
  );

  return (batch: readonly AppendRequest[]): GroupResult[] => {
    const valid: AppendRequest[] = [];
    const checks = batch.map((request) => {
      try {
        assertWellFormed(request.events, request.expected);
        valid.push(request);
        return undefined;
      } catch (error) {
        return { error };
      }
    });
    const written = valid.length > 0 ? writeGroup.immediate(valid) : [];
    let next = 0;
    return batch.map((request, index) => {
      const check = checks[index];
      if (check) return check;
      const attempt = written[next++]!;
      if ('result' in attempt)
        return { outcome: { result: attempt.result, written: request.events.length > 0 } };
      try {
        return {
          outcome: resolveFailure(
            attempt.error,
            request.streamId,
            request.events,
            request.expected,
          ),
        };
      } catch (error) {
        return { error };
      }
    });
  };
};
