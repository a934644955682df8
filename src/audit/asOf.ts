import type { EventStore, RecordedEvent } from '../application/ports/index.js';
import { toOrderStreamId } from '../domain/orders/index.js';
import { evolveOrderDocument, isOrderEvent } from '../projections/orders/index.js';
import type { OrderDocument } from '../projections/orders/index.js';

/** A moment in an order's history: a time (inclusive) or a stream revision (inclusive). */
export type PointInHistory = { asOf: Date } | { atRevision: number };

const reached = (event: RecordedEvent, at: PointInHistory) =>
  'asOf' in at ? event.recordedAt.getTime() <= at.asOf.getTime() : event.revision <= at.atRevision;

/**
 * The order document as it was then, folded from the stream: the read model only knows now.
 * A prefix of the stream, cut at the first event past the point: revisions stay consecutive even
 * if a clock step left a later event with an earlier time. Null when the order did not exist yet.
 */
export const foldOrderAt = (
  events: readonly RecordedEvent[],
  at: PointInHistory,
): OrderDocument | null => {
  let doc: OrderDocument | null = null;
  for (const event of events) {
    if (!reached(event, at)) break;
    if (isOrderEvent(event)) doc = evolveOrderDocument(doc, event);
  }
  return doc;
};

/** The order stream, read no further than an `atRevision` needs. */
export const readOrderStream = (eventStore: EventStore, orderId: string, at?: PointInHistory) =>
  eventStore.readStream(
    toOrderStreamId(orderId),
    at && 'atRevision' in at ? { maxCount: at.atRevision + 1 } : {},
  );
