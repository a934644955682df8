import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  jsonEvent,
  type AppendExpectedRevision,
  type EventData,
  type JSONType,
  type Position,
  type WrongExpectedVersionError,
} from '@eventstore/db-client';
import type {
  EventMetadata,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
} from '../../application/ports/eventStore.js';
import { ConcurrencyError } from '../../domain/shared/errors.js';

/** The revision of a stream with no events, as in EventStoreDB's legacy `ExpectedVersion.NoStream`. */
export const NO_STREAM_REVISION = -1;

/** The fields of the client's RecordedEvent this adapter reads; its ResolvedEvent types fit it. */
export type EsdbRecordedEvent = {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  created: Date;
  isJson: boolean;
  data: unknown;
  metadata: unknown;
  position?: Position;
};

export type EsdbResolvedEvent = { event?: EsdbRecordedEvent; commitPosition?: bigint };

const MAX_POSITION = BigInt(Number.MAX_SAFE_INTEGER);

// The server stores ids as UUIDs and reads them back lowercased; any other spelling would come
// back different from what the caller appended, so it is refused up front.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The port's position is an event's commit position in $all. Every event the gRPC API writes is
 * an implicit single-stream transaction whose records carry IsCommitted, and for those the server
 * reports commit === prepare === the event record's own log position (AllReader builds
 * `TFPos(LogPosition, LogPosition)`); only legacy TCP explicit transactions gave a whole
 * transaction one commit position. So one number keeps $all's order, and `{commit: p, prepare: p}`
 * names exactly the event at p. Positions are byte offsets into the transaction log: 2^53 bytes is
 * 9 PB, beyond any real log, so a JS number holds them exactly; anything larger is refused, not
 * rounded.
 */
export const toPortPosition = (commit: bigint): number => {
  if (commit < 0n || commit > MAX_POSITION) {
    throw new RangeError(`EventStoreDB position ${commit} does not fit a safe integer`);
  }
  return Number(commit);
};

/** Only positions this store handed out (or 0, the start) name a record boundary the server can read from. */
export const toEsdbPosition = (position: number): Position => {
  if (!(Number.isSafeInteger(position) && position >= 0)) {
    throw new RangeError(`A log position must be a non-negative integer, got ${position}`);
  }
  return { commit: BigInt(position), prepare: BigInt(position) };
};

export const toEsdbExpectedRevision = (expected: ExpectedRevision): AppendExpectedRevision => {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      if (!(Number.isSafeInteger(expected) && expected >= NO_STREAM_REVISION)) {
        throw new RangeError(
          `Expected revision must be an integer >= ${NO_STREAM_REVISION}, got ${expected}`,
        );
      }
      return expected === NO_STREAM_REVISION ? NO_STREAM : BigInt(expected);
  }
};

/** Whether `expected` holds for a stream at `current` (NO_STREAM_REVISION when it does not exist). */
export const holds = (expected: ExpectedRevision, current: number): boolean => {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === NO_STREAM_REVISION;
    case 'stream_exists':
      return current !== NO_STREAM_REVISION;
    default:
      return current === expected;
  }
};

export const concurrencyError = (streamId: string, expected: ExpectedRevision, current: number) =>
  new ConcurrencyError(
    streamId,
    String(expected),
    current === NO_STREAM_REVISION ? 'no_stream' : String(current),
  );

export const fromWrongExpectedVersion = (
  streamId: string,
  expected: ExpectedRevision,
  error: WrongExpectedVersionError,
): ConcurrencyError => {
  const actual = error.actualVersion;
  // The legacy error path reports a missing stream as revision -1 rather than 'no_stream'.
  const current = actual === 'no_stream' || actual < 0n ? NO_STREAM_REVISION : Number(actual);
  return concurrencyError(streamId, expected, current);
};

export const assertAppendable = (events: readonly NewEvent[], expected: ExpectedRevision) => {
  toEsdbExpectedRevision(expected);
  const malformed = events.find((event) => !UUID.test(event.id));
  if (malformed) {
    throw new RangeError(`EventStoreDB event ids must be lowercase UUIDs, got ${malformed.id}`);
  }
  // A repeated id inside one batch is a caller bug; the server would store both copies.
  if (events.length > 1 && new Set(events.map((event) => event.id)).size !== events.length) {
    throw new RangeError('Event ids must be unique within an append');
  }
};

export const toEventData = (event: NewEvent): EventData =>
  jsonEvent({
    id: event.id,
    type: event.type,
    // The client JSON-encodes whatever it is given; `undefined` would not encode at all.
    data: (event.data ?? null) as JSONType,
    metadata: (event.metadata ?? {}) as JSONType,
  });

const metadataOf = (value: unknown): EventMetadata =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value)
    ? (value as EventMetadata)
    : {};

/**
 * An event's position, or undefined when the server sent none. Zero counts as none: the log
 * opens with an epoch record, so no event sits there, and servers before 22.6 fill the field of
 * stream reads with zero.
 */
export const positionOf = (resolved: EsdbResolvedEvent): number | undefined => {
  const commit = resolved.event?.position?.commit ?? resolved.commitPosition;
  return commit === undefined || commit === 0n ? undefined : toPortPosition(commit);
};

export const toRecordedEvent = (resolved: EsdbResolvedEvent): RecordedEvent => {
  const event = resolved.event;
  const position = positionOf(resolved);
  if (!event || position === undefined) {
    throw new Error(
      'EventStoreDB returned an event without a record or position (server 22.6 or later is required)',
    );
  }
  return {
    id: event.id,
    type: event.type,
    data: event.data,
    streamId: event.streamId,
    revision: Number(event.revision),
    position,
    recordedAt: event.created,
    metadata: metadataOf(event.metadata),
  };
};

/**
 * Projections, statistics and stream metadata live in `$` streams or have `$` types (links are
 * `$>` in `$ce-`/`$et-` streams); the port's log is the application's events only.
 */
export const isSystemEvent = (event: { type: string; streamId: string }) =>
  event.type.startsWith('$') || event.streamId.startsWith('$');

export type EventQuery = {
  types?: readonly string[] | undefined;
  streamPrefix?: string | undefined;
};

export const matches = (event: RecordedEvent, query: EventQuery) =>
  !isSystemEvent(event) &&
  (query.types === undefined || query.types.includes(event.type)) &&
  (query.streamPrefix === undefined || event.streamId.startsWith(query.streamPrefix));

/** Server-side filters are .NET regexes; escaping every metacharacter makes a type match only itself. */
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\#]/g, '\\$&');

/** Everything whose type does not start with `$`, as the client's own `excludeSystemEvents`. */
export const NON_SYSTEM_TYPES = '^[^$]';

export const exactTypesRegex = (types: readonly string[]) =>
  `^(?:${types.map(escapeRegex).join('|')})$`;

export const countOf = (maxCount: number | undefined, fallback: number) => {
  if (maxCount === undefined) return fallback;
  if (!Number.isSafeInteger(maxCount) || maxCount < 0) {
    throw new RangeError(`maxCount must be a non-negative integer, got ${maxCount}`);
  }
  return maxCount;
};
