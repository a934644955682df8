import { v7 as uuidv7 } from 'uuid';
import type { Actor, Clock, Doc, DocumentStore, Filter } from '../application/ports/index.js';
import { paginate } from '../application/ports/pagination.js';
import type { Page } from '../application/ports/pagination.js';

export const ACCESS_LOG = 'accessLog';

export type AccessAction = 'timeline' | 'audit.events';

export type AccessLogEntry = Doc & {
  at: string;
  userId: string;
  role: string;
  action: AccessAction;
  /** What was read: an order stream id, or `$all` for the global log. */
  target: string;
  /** The request's parameters as parsed, so a reviewer can see what was asked for. */
  query: Record<string, unknown>;
};

export type AccessLogQuery = {
  userId?: string;
  action?: AccessAction;
  limit: number;
  cursor?: string;
};

/** JSON-safe: dates as ISO text, absent values left out. */
const plain = (query: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(query)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value]),
  );

/** Who read which history, and when. Written before the answer leaves, so no read goes unrecorded. */
export const createAccessLog = (documents: DocumentStore, clock: Clock) => {
  const entries = documents.collection<AccessLogEntry>(ACCESS_LOG);
  let indexed: Promise<void> | undefined;
  const ensureIndexes = () => {
    indexed ??= Promise.all([
      entries.ensureIndex(['at']),
      entries.ensureIndex(['userId', 'at']),
    ]).then(
      () => undefined,
      (error: unknown) => {
        indexed = undefined;
        throw error;
      },
    );
    return indexed;
  };

  return {
    record: async (
      actor: Actor,
      action: AccessAction,
      target: string,
      query: Record<string, unknown>,
    ) => {
      await ensureIndexes();
      await entries.insert({
        // Time-ordered ids break ties between reads in one millisecond in the order they were made.
        _id: uuidv7(),
        at: clock.now().toISOString(),
        userId: actor.userId,
        role: actor.role,
        action,
        target,
        query: plain(query),
      });
    },
    /** Newest first. */
    list: async ({
      userId,
      action,
      limit,
      cursor,
    }: AccessLogQuery): Promise<Page<AccessLogEntry>> => {
      await ensureIndexes();
      const filter: Filter<AccessLogEntry> = {
        ...(userId ? { userId } : {}),
        ...(action ? { action } : {}),
      };
      return paginate(entries, filter, { field: 'at', direction: 'desc' }, limit, cursor);
    },
  };
};

export type AccessLog = ReturnType<typeof createAccessLog>;
