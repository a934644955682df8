import { readAllPages } from '../application/ports/index.js';
import type { EventStore, RecordedEvent } from '../application/ports/index.js';

/** Filters over the global log. Types and stream prefix are pushed down to the store; the rest is checked here. */
export type LogFilter = {
  types?: readonly string[];
  streamPrefix?: string;
  /** Inclusive bounds on recordedAt. */
  since?: Date;
  until?: Date;
  /** The acting user (metadata.userId). */
  userId?: string;
};

/**
 * Positions follow commit order and recordedAt is stamped at commit, so time grows with position,
 * except when a host clock steps back. Time bounds are therefore searched and cut by position
 * with this much slack: an event stamped up to a minute out of order is still found.
 */
export const CLOCK_SKEW_GRACE_MS = 60_000;

export const DEFAULT_PAGE_SIZE = 1000;

export type ScanPage = {
  matches: RecordedEvent[];
  /** Events read from the store for this page, matching or not. */
  scanned: number;
  /** Every event at or before this position was looked at. */
  scannedTo: number | undefined;
  /** Nothing after this page can match: the head was reached or the scan passed `until`. */
  done: boolean;
};

const matches = (event: RecordedEvent, { since, until, userId }: LogFilter) =>
  (since === undefined || event.recordedAt >= since) &&
  (until === undefined || event.recordedAt <= until) &&
  (userId === undefined || event.metadata.userId === userId);

/**
 * Reads the log forwards a page at a time, so memory stays bounded by one page however long the
 * log is. Stops early once events are recorded well after `until`.
 */
export async function* scanLog(
  eventStore: EventStore,
  {
    after,
    filter = {},
    pageSize = DEFAULT_PAGE_SIZE,
  }: { after?: number; filter?: LogFilter; pageSize?: number },
): AsyncGenerator<ScanPage> {
  const stopAfter =
    filter.until === undefined ? undefined : filter.until.getTime() + CLOCK_SKEW_GRACE_MS;
  let cursor = after;
  const pages = readAllPages(eventStore, {
    ...(after === undefined ? {} : { after }),
    pageSize,
    ...(filter.types ? { types: filter.types } : {}),
    ...(filter.streamPrefix === undefined ? {} : { streamPrefix: filter.streamPrefix }),
  });
  for await (const page of pages) {
    const found: RecordedEvent[] = [];
    let passedUntil = false;
    for (const event of page) {
      if (stopAfter !== undefined && event.recordedAt.getTime() > stopAfter) {
        passedUntil = true;
        break;
      }
      if (matches(event, filter)) found.push(event);
      cursor = event.position;
    }
    const done = passedUntil || page.length < pageSize;
    yield { matches: found, scanned: page.length, scannedTo: cursor, done };
    if (done) return;
  }
}

/**
 * The position to scan after so as to start at `time`: a binary search over positions with
 * single-event reads, O(log head) instead of reading everything before. `lowest` is where the
 * caller would otherwise start (undefined: the beginning of the log).
 */
export const seekAfter = async (
  eventStore: EventStore,
  time: Date,
  lowest?: number,
): Promise<number | undefined> => {
  const target = time.getTime() - CLOCK_SKEW_GRACE_MS;
  const head = await eventStore.headPosition();
  if (head === undefined) return lowest;
  const firstAfterIsLate = async (position: number) => {
    const [next] = await eventStore.readAll({ after: position, maxCount: 1 });
    return next === undefined || next.recordedAt.getTime() >= target;
  };
  let lo = lowest ?? 0;
  let hi = Math.max(lo, head);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (await firstAfterIsLate(mid)) hi = mid;
    else lo = mid + 1;
  }
  // Not moved: keep "from the start" as the caller said it, since some stores have a position 0.
  return lo === (lowest ?? 0) ? lowest : lo;
};
