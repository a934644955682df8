import { canHandle } from '../../application/ports/index.js';
import type {
  StockReleased,
  StockReservationRejected,
  StockReserved,
} from '../../domain/products/index.js';
import type { ProjectedDoc, ReadModel } from '../engine/projection.js';

/** Product-stream events that name the order they were caused by, in `data.orderId`. */
export type OrderStockEvent = StockReserved | StockReservationRejected | StockReleased;

export const ORDER_STOCK_EVENT_TYPES = [
  'StockReserved',
  'StockReservationRejected',
  'StockReleased',
] as const satisfies readonly OrderStockEvent['type'][];

export const isOrderStockEvent = canHandle<OrderStockEvent>(ORDER_STOCK_EVENT_TYPES);

/** Per order: the global positions of the stock events it caused, ascending. */
export type OrderTimelineIndexDoc = ProjectedDoc & { positions: number[] };

/**
 * An index, not a copy: it keeps positions only, and timelines read the events themselves from
 * the log, so they go through upcasting and never show data as an older schema projected it.
 * Hot products gain one event per order, so without it a timeline would read a product stream
 * from the order onwards; with it, only the log after this projection's checkpoint.
 * Orders join their stock events by `data.orderId`, not by correlation id: correlation ids come
 * from request headers that a client may reuse, and a cancellation runs under its own.
 */
export const orderTimelineReadModel: ReadModel<OrderTimelineIndexDoc, OrderStockEvent> = {
  collection: 'orderTimeline',
  eventTypes: ORDER_STOCK_EVENT_TYPES,
  documentIds: (event) => [event.data.orderId],
  // The runner hands over only events newer than the document, so appending keeps positions sorted and unique.
  evolve: (doc, event, id) => ({
    _id: id,
    positions: [...(doc?.positions ?? []), event.position],
    _position: event.position,
  }),
};
