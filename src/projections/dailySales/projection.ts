import type { Recorded } from '../../application/ports/index.js';
import type { OrderEvent } from '../../domain/orders/index.js';
import { orderEventTypes } from '../../domain/orders/index.js';
import { fromMinor } from '../../domain/shared/index.js';
import type { ProjectedDoc, ReadModel } from '../engine/projection.js';

/**
 * Daily sales per product, for analysts. What counts as a sale: an order the processor accepted
 * (OrderProcessed), booked on the UTC day it was processed, at the unit prices it was placed
 * with; cancelling a processed order takes it back off that same day. Pending, failed, and
 * orders cancelled before processing never count. So a day's figures are "orders processed that
 * day and not cancelled since", and can fall when a late cancellation arrives.
 *
 * OrderProcessed and OrderCancelled carry only the order id, so the projection keeps a helper
 * document per order (`order:<id>`: its lines and when it was processed) as the context of every
 * order event. The helper records facts that never change once set (lines, processedDay,
 * processedPosition, cancelledPosition), so a replayed event reads the same answer from a helper
 * that has already moved on.
 */
export type SalesLine = { productId: string; quantity: number; unitPrice: number };

export type SalesOrderDocument = ProjectedDoc & {
  kind: 'order';
  orderId: string;
  lines: SalesLine[];
  processedDay?: string;
  processedPosition?: number;
  cancelledPosition?: number;
};

export type DailySalesDocument = ProjectedDoc & {
  kind: 'daily';
  day: string;
  productId: string;
  /** Orders with this product, units of it, and its revenue (decimal, from `_revenueMinor`). */
  orders: number;
  units: number;
  revenue: number;
  _revenueMinor: number;
};

type SalesDocument = SalesOrderDocument | DailySalesDocument;

const orderKey = (orderId: string) => `order:${orderId}`;
export const dailyKey = (day: string, productId: string) => `day:${day}:${productId}`;
const dayOf = (date: Date) => date.toISOString().slice(0, 10);

const mergedLines = (items: readonly SalesLine[]): SalesLine[] => {
  const merged = new Map<string, SalesLine>();
  for (const { productId, quantity, unitPrice } of items) {
    const line = merged.get(productId);
    merged.set(
      productId,
      line ? { ...line, quantity: line.quantity + quantity } : { productId, quantity, unitPrice },
    );
  }
  return [...merged.values()];
};

const evolveOrder = (
  doc: SalesOrderDocument | null,
  event: Recorded<OrderEvent>,
  id: string,
): SalesOrderDocument | null => {
  if (event.type === 'OrderPlaced') {
    return {
      _id: id,
      kind: 'order',
      orderId: event.data.orderId,
      lines: mergedLines(event.data.items),
      _position: event.position,
    };
  }
  if (!doc) return null;
  if (event.type === 'OrderProcessed' && doc.processedPosition === undefined) {
    return { ...doc, processedDay: dayOf(event.recordedAt), processedPosition: event.position };
  }
  if (event.type === 'OrderCancelled' && doc.cancelledPosition === undefined)
    return { ...doc, cancelledPosition: event.position };
  return doc;
};

/** +1 when this event is the order's processing, -1 when it cancels a processed order, else 0. */
const signOf = (event: Recorded<OrderEvent>, order: SalesOrderDocument | null): 1 | -1 | 0 => {
  if (!order || order.processedPosition === undefined) return 0;
  const cancelledBefore =
    order.cancelledPosition !== undefined && order.cancelledPosition < event.position;
  if (
    event.type === 'OrderProcessed' &&
    order.processedPosition === event.position &&
    !cancelledBefore
  )
    return 1;
  if (
    event.type === 'OrderCancelled' &&
    order.cancelledPosition === event.position &&
    order.processedPosition < event.position
  )
    return -1;
  return 0;
};

const evolveDaily = (
  doc: DailySalesDocument | null,
  event: Recorded<OrderEvent>,
  id: string,
  order: SalesOrderDocument | null,
): DailySalesDocument | null => {
  const sign = signOf(event, order);
  const [, day = '', productId = ''] = /^day:(\d{4}-\d{2}-\d{2}):(.+)$/.exec(id) ?? [];
  const line = order?.lines.find((candidate) => candidate.productId === productId);
  if (sign === 0 || !line) return doc;
  const base = doc ?? {
    _id: id,
    kind: 'daily',
    day,
    productId,
    orders: 0,
    units: 0,
    revenue: 0,
    _revenueMinor: 0,
    _position: 0,
  };
  const revenueMinor = base._revenueMinor + sign * line.quantity * line.unitPrice;
  return {
    ...base,
    orders: base.orders + sign,
    units: base.units + sign * line.quantity,
    _revenueMinor: revenueMinor,
    revenue: fromMinor(revenueMinor),
  };
};

const asOrder = (doc: SalesDocument | null) => (doc?.kind === 'order' ? doc : null);

export const dailySalesReadModel: ReadModel<SalesDocument, OrderEvent> = {
  collection: 'dailySales',
  eventTypes: orderEventTypes,
  contextId: (event) => orderKey(event.data.orderId),
  documentIds: (event, context) => {
    const order = asOrder(context);
    if (!order || signOf(event, order) === 0) return [];
    return order.lines.map((line) => dailyKey(order.processedDay!, line.productId));
  },
  evolve: (doc, event, id, context) =>
    id.startsWith('order:')
      ? evolveOrder(asOrder(doc), event, id)
      : evolveDaily(doc?.kind === 'daily' ? doc : null, event, id, asOrder(context)),
  indexes: [{ fields: ['kind', 'day'] }],
};
