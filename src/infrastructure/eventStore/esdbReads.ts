import {
  BACKWARDS,
  END,
  FORWARDS,
  START,
  StreamNotFoundError,
  type EventStoreDBClient,
  type ReadPosition,
} from '@eventstore/db-client';
import type {
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from '../../application/ports/eventStore.js';
import {
  countOf,
  isSystemEvent,
  matches,
  positionOf,
  toEsdbPosition,
  toRecordedEvent,
  type EsdbResolvedEvent,
} from './esdbMapping.js';

export const DEFAULT_READ_ALL_COUNT = 1000;
const MIN_PAGE = 64;
const MAX_PAGE = 1000;
const HEAD_PAGE = 100;

const collect = async <T>(read: AsyncIterable<T>): Promise<T[]> => {
  const items: T[] = [];
  for await (const item of read) items.push(item);
  return items;
};

/**
 * @eventstore/db-client 6.2.1 sends every `readAll` with NoFilter (a `filter` option arrived only
 * in @kurrent/kurrentdb-client 1.x), so types, stream prefix and system events are filtered here,
 * page by page. Subscriptions do filter on the server.
 */
export const createEsdbReader = (client: EventStoreDBClient) => {
  const readStream = async (
    streamId: string,
    options: ReadStreamOptions = {},
  ): Promise<RecordedEvent[]> => {
    const maxCount = countOf(options.maxCount, Number.MAX_SAFE_INTEGER);
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision;
    // Revisions below 0 mean "from the first" forwards and "nothing" backwards, as in SQLite.
    if (maxCount === 0 || (backwards && from !== undefined && from < 0)) return [];
    if (from !== undefined && !Number.isSafeInteger(from)) {
      throw new RangeError(`fromRevision must be an integer, got ${from}`);
    }
    const fromRevision = from === undefined ? (backwards ? END : START) : BigInt(Math.max(from, 0));
    try {
      const resolved = await collect(
        client.readStream(streamId, {
          direction: backwards ? BACKWARDS : FORWARDS,
          fromRevision,
          maxCount,
        }),
      );
      return resolved.map(toRecordedEvent);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  };

  const readAll = async (options: ReadAllOptions = {}): Promise<RecordedEvent[]> => {
    const limit = countOf(options.maxCount, DEFAULT_READ_ALL_COUNT);
    const backwards = options.direction === 'backwards';
    const { after } = options;
    if (limit === 0 || (backwards && after !== undefined && after <= 0)) return [];
    // Forwards reads include the event at `from`, so each page after the first repeats one.
    const pageSize = Math.min(Math.max(limit + 1, MIN_PAGE), MAX_PAGE);
    let from: ReadPosition =
      after === undefined ? (backwards ? END : START) : toEsdbPosition(after);
    let cursor = after;
    const found: RecordedEvent[] = [];
    for (;;) {
      const page: EsdbResolvedEvent[] = await collect(
        client.readAll({
          fromPosition: from,
          direction: backwards ? BACKWARDS : FORWARDS,
          maxCount: pageSize,
        }),
      );
      for (const resolved of page) {
        const position = positionOf(resolved);
        if (position === undefined) continue;
        const seen = cursor !== undefined && (backwards ? position >= cursor : position <= cursor);
        if (seen) continue;
        cursor = position;
        const event = toRecordedEvent(resolved);
        if (!matches(event, options)) continue;
        found.push(event);
        if (found.length === limit) return found;
      }
      if (page.length < pageSize || cursor === undefined) return found;
      from = toEsdbPosition(cursor);
    }
  };

  /** The newest application event: projections keep appending `$` events after it. */
  const headPosition = async (): Promise<number | undefined> => {
    let from: ReadPosition = END;
    for (;;) {
      const page: EsdbResolvedEvent[] = await collect(
        client.readAll({ fromPosition: from, direction: BACKWARDS, maxCount: HEAD_PAGE }),
      );
      let oldest: number | undefined;
      for (const resolved of page) {
        const position = positionOf(resolved);
        if (position === undefined) continue;
        if (resolved.event && !isSystemEvent(resolved.event)) return position;
        oldest = position;
      }
      if (page.length < HEAD_PAGE || oldest === undefined) return undefined;
      from = toEsdbPosition(oldest);
    }
  };

  /** The stream's last event, for an empty append's check; undefined when the stream does not exist. */
  const lastEventOf = async (streamId: string): Promise<RecordedEvent | undefined> =>
    (await readStream(streamId, { direction: 'backwards', maxCount: 1 }))[0];

  /** The event at `revision`: where it sits in $all and when the server recorded it, which an append's answer lacks. */
  const eventAt = async (streamId: string, revision: number): Promise<RecordedEvent> => {
    const [event] = await readStream(streamId, { fromRevision: revision, maxCount: 1 });
    if (!event) throw new Error(`Stream ${streamId} has no event at revision ${revision}`);
    return event;
  };

  return { readStream, readAll, headPosition, lastEventOf, eventAt };
};

export type EsdbReader = ReturnType<typeof createEsdbReader>;
