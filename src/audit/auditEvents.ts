import type { EventStore } from '../application/ports/index.js';
import { decodePositionCursor, encodePositionCursor } from './cursor.js';
import { toEventView } from './eventView.js';
import type { EventView } from './eventView.js';
import { scanLog, seekAfter } from './logScan.js';
import type { LogFilter } from './logScan.js';

export type AuditEventsQuery = LogFilter & { limit: number; cursor?: string };
export type AuditEventsPage = { events: EventView[]; nextCursor: string | null };

/**
 * Events one request may read from the store. A selective filter (one user in a long log) could
 * otherwise scan the whole log for a single page; instead the page comes back short, with a
 * cursor where the scan stopped, and the client reads on.
 */
export const AUDIT_SCAN_BUDGET = 10_000;

/** The global log by position, filtered, one page at a time. */
export const queryAuditEvents = async (
  eventStore: EventStore,
  { limit, cursor, ...filter }: AuditEventsQuery,
  scanBudget = AUDIT_SCAN_BUDGET,
): Promise<AuditEventsPage> => {
  let after = decodePositionCursor(cursor);
  if (after === undefined && filter.since) after = await seekAfter(eventStore, filter.since);
  const events: EventView[] = [];
  let scanned = 0;
  const pageSize = Math.min(1000, Math.max(limit, 100));
  for await (const page of scanLog(eventStore, {
    ...(after === undefined ? {} : { after }),
    filter,
    pageSize,
  })) {
    for (const event of page.matches) {
      events.push(toEventView(event));
      if (events.length === limit)
        return { events, nextCursor: encodePositionCursor(event.position) };
    }
    scanned += page.scanned;
    if (page.done) break;
    if (scanned >= scanBudget && page.scannedTo !== undefined) {
      return { events, nextCursor: encodePositionCursor(page.scannedTo) };
    }
  }
  return { events, nextCursor: null };
};
