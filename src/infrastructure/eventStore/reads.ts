import type Database from 'better-sqlite3';
import type {
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from '../../application/ports/eventStore.js';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './rows.js';

export const DEFAULT_READ_ALL_COUNT = 1000;

/** A page of the global log; `until` (inclusive) lets a subscription read up to a head it saw. */
export type PageQuery = {
  backwards: boolean;
  after?: number | undefined;
  until?: number | undefined;
  types?: readonly string[] | undefined;
  streamPrefix?: string | undefined;
  limit: number;
};

const NO_LIMIT = -1;

const countOf = (maxCount: number | undefined, fallback: number) => {
  if (maxCount === undefined) return fallback;
  if (!Number.isSafeInteger(maxCount) || maxCount < 0) {
    throw new RangeError(`maxCount must be a non-negative integer, got ${maxCount}`);
  }
  return maxCount;
};

const pageSql = (query: PageQuery) => {
  const where: string[] = [];
  if (query.after !== undefined)
    where.push(query.backwards ? 'position < @after' : 'position > @after');
  if (query.until !== undefined) where.push('position <= @until');
  // One type walks the type index, already in position order. For several, the unary + keeps
  // the planner on the position order: merging index ranges would sort every remaining match
  // for each page, which is quadratic over a long catch-up.
  if (query.types?.length === 1) where.push('type = @type');
  else if (query.types !== undefined) {
    where.push('+type IN (SELECT value FROM json_each(@types))');
  }
  // substr, not LIKE: LIKE is case-insensitive and treats % and _ in stream ids as wildcards.
  if (query.streamPrefix !== undefined) {
    where.push('substr(stream_id, 1, length(@prefix)) = @prefix');
  }
  return (
    `SELECT ${EVENT_COLUMNS} FROM events` +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY position ${query.backwards ? 'DESC' : 'ASC'} LIMIT @limit`
  );
};

export const createReader = (db: Database.Database) => {
  const forwards = db.prepare<[string, number, number], EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events
     WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`,
  );
  const backwards = db.prepare<[string, number, number], EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events
     WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
  );
  const head = db.prepare<[], number | null>('SELECT max(position) FROM events').pluck();
  // At most 16 shapes (direction x which filters are present), each prepared once.
  const pages = new Map<string, Database.Statement<[Record<string, unknown>], EventRow>>();

  const readPage = (query: PageQuery): RecordedEvent[] => {
    const sql = pageSql(query);
    let statement = pages.get(sql);
    if (!statement) {
      statement = db.prepare<[Record<string, unknown>], EventRow>(sql);
      pages.set(sql, statement);
    }
    const params: Record<string, unknown> = { limit: query.limit };
    if (query.after !== undefined) params.after = query.after;
    if (query.until !== undefined) params.until = query.until;
    if (query.types?.length === 1) params.type = query.types[0];
    else if (query.types !== undefined) params.types = JSON.stringify(query.types);
    if (query.streamPrefix !== undefined) params.prefix = query.streamPrefix;
    return statement.all(params).map(toRecordedEvent);
  };

  return {
    readStream: (streamId: string, options: ReadStreamOptions = {}): RecordedEvent[] => {
      const limit = countOf(options.maxCount, NO_LIMIT);
      const rows =
        options.direction === 'backwards'
          ? backwards.all(streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER, limit)
          : forwards.all(streamId, options.fromRevision ?? 0, limit);
      return rows.map(toRecordedEvent);
    },
    readAll: (options: ReadAllOptions = {}): RecordedEvent[] =>
      readPage({
        backwards: options.direction === 'backwards',
        after: options.after,
        types: options.types,
        streamPrefix: options.streamPrefix,
        limit: countOf(options.maxCount, DEFAULT_READ_ALL_COUNT),
      }),
    readPage,
    headPosition: (): number | undefined => head.get() ?? undefined,
  };
};
