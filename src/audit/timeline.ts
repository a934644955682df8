import { readAllPages } from '../application/ports/index.js';
import type { DocumentStore, EventStore, RecordedEvent } from '../application/ports/index.js';
import { readCheckpoint } from '../application/subscriptions/index.js';
import { evolveOrderDocument, isOrderEvent } from '../projections/orders/index.js';
import type { OrderDocument } from '../projections/orders/index.js';
import { decodePositionCursor, encodePositionCursor } from './cursor.js';
import { toEventView } from './eventView.js';
import type { EventView } from './eventView.js';
import { isOrderStockEvent, ORDER_STOCK_EVENT_TYPES } from '../projections/orderTimeline/index.js';
import type { Projection } from '../projections/engine/index.js';
import type { OrderTimelineIndexDoc } from '../projections/orderTimeline/index.js';

export type TimelineDeps = {
  eventStore: EventStore;
  documents: DocumentStore;
  /** The order-timeline index, as the register of subscriptions names it. */
  timelineIndex: Projection<OrderTimelineIndexDoc>;
};

export type TimelineEntry = EventView & { order: OrderDocument | null };
export type TimelinePage = { orderId: string; entries: TimelineEntry[]; nextCursor: string | null };
export type PageRequest = { limit: number; cursor?: string };

type Candidate = { position: number; event?: RecordedEvent };

const TAIL_PAGE_SIZE = 1000;

/** Stock events for the order in the log after `after`, found by reading every stock event there. */
const scanStockEvents = async (eventStore: EventStore, orderId: string, after: number) => {
  const found: RecordedEvent[] = [];
  for await (const page of readAllPages(eventStore, {
    after,
    types: ORDER_STOCK_EVENT_TYPES,
    pageSize: TAIL_PAGE_SIZE,
  })) {
    for (const event of page)
      if (isOrderStockEvent(event) && event.data.orderId === orderId) found.push(event);
  }
  return found;
};

/**
 * The order's stock events after `after`: positions from the index up to its checkpoint, events
 * from the log after it. The checkpoint is read before the index document, and both are written
 * in one batch, so the two halves meet without a gap. With no index running, the scan starts at
 * the order itself: nothing before it can name it.
 */
const stockCandidates = async (
  deps: TimelineDeps,
  orderId: string,
  placedAt: number,
  after: number,
): Promise<Candidate[]> => {
  const checkpoint = await readCheckpoint(deps.documents, deps.timelineIndex.name);
  const indexed =
    checkpoint === undefined
      ? []
      : ((
          await deps.documents
            .collection<OrderTimelineIndexDoc>(deps.timelineIndex.collection)
            .get(orderId)
        )?.positions ?? []);
  const tail = await scanStockEvents(
    deps.eventStore,
    orderId,
    Math.max(checkpoint ?? placedAt, placedAt, after),
  );
  const seen = new Set(tail.map((event) => event.position));
  return [
    ...indexed
      .filter((position) => position > after && !seen.has(position))
      .map((position) => ({ position })),
    ...tail
      .filter((event) => event.position > after)
      .map((event) => ({ position: event.position, event })),
  ];
};

const readAt = async (
  eventStore: EventStore,
  position: number,
): Promise<RecordedEvent | undefined> => {
  const [event] = await eventStore.readAll({ after: position - 1, maxCount: 1 });
  return event?.position === position ? event : undefined;
};

/**
 * One page of an order's timeline: its own events and the stock events it caused, in global log
 * order, each with the order as it stood after that entry. `orderEvents` is the whole order
 * stream (a handful of events), so the state before any page is folded from it directly.
 */
export const readOrderTimeline = async (
  deps: TimelineDeps,
  orderId: string,
  orderEvents: readonly RecordedEvent[],
  { limit, cursor }: PageRequest,
): Promise<TimelinePage> => {
  const after = decodePositionCursor(cursor) ?? -1;
  const placedAt = orderEvents[0]?.position ?? 0;
  const candidates: Candidate[] = [
    ...orderEvents
      .filter((event) => event.position > after)
      .map((event) => ({ position: event.position, event })),
    ...(await stockCandidates(deps, orderId, placedAt, after)),
  ].sort((a, b) => a.position - b.position);
  const page = candidates.slice(0, limit);
  const events = await Promise.all(
    page.map(async ({ position, event }) => event ?? (await readAt(deps.eventStore, position))),
  );

  let order: OrderDocument | null = null;
  let folded = 0;
  const entries: TimelineEntry[] = [];
  for (const event of events) {
    if (!event) continue;
    while (folded < orderEvents.length && orderEvents[folded]!.position <= event.position) {
      const orderEvent = orderEvents[folded]!;
      if (isOrderEvent(orderEvent)) order = evolveOrderDocument(order, orderEvent);
      folded += 1;
    }
    entries.push({ ...toEventView(event), order });
  }
  const last = page.at(-1);
  return {
    orderId,
    entries,
    nextCursor: candidates.length > limit && last ? encodePositionCursor(last.position) : null,
  };
};
