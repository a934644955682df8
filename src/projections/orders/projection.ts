import type { OrderEvent, OrderStatus } from '../../domain/orders/index.js';
import { describeFailure, orderEventTypes } from '../../domain/orders/index.js';
import { fromMinor } from '../../domain/shared/index.js';
import { canHandle } from '../../application/ports/index.js';
import type { RecordedEvent } from '../../application/ports/index.js';
import { iso } from '../engine/projection.js';
import type { ProjectedDoc, ReadModel } from '../engine/projection.js';

/** The order as clients read it (API.md), plus `_revision` for the ETag and `_position`. */
export type OrderDocument = ProjectedDoc & {
  orderId: string;
  userId: string;
  items: Array<{ productId: string; quantity: number; unitPrice: number }>;
  totalAmount: number;
  status: OrderStatus;
  createdAt: string;
  updatedAt: string;
  failureReason?: string;
  cancelReason?: string;
  _revision: number;
};

/** What folding an order event reads of it: a just-appended event has these too, before any read. */
export type RecordedOrderEvent = OrderEvent &
  Pick<RecordedEvent, 'revision' | 'position' | 'recordedAt'>;

/** An event of an order stream, narrowed to the order's union. */
export const isOrderEvent = canHandle<OrderEvent>(orderEventTypes);

/** Folds one order event onto its document: shared by the projection, stream reads and the writer's answer. */
export const evolveOrderDocument = (
  doc: OrderDocument | null,
  event: RecordedOrderEvent,
): OrderDocument | null => {
  const at = iso(event.recordedAt);
  const touched = { updatedAt: at, _revision: event.revision, _position: event.position };
  if (event.type === 'OrderPlaced') {
    const { orderId, userId, items, totalAmount } = event.data;
    return {
      _id: orderId,
      orderId,
      userId,
      items: items.map((line) => ({ ...line, unitPrice: fromMinor(line.unitPrice) })),
      totalAmount: fromMinor(totalAmount),
      status: 'Pending',
      createdAt: at,
      ...touched,
    };
  }
  if (!doc) return null;
  switch (event.type) {
    case 'OrderProcessed':
      return { ...doc, ...touched, status: 'Processed' };
    case 'OrderFailed':
      return { ...doc, ...touched, status: 'Failed', failureReason: describeFailure(event.data) };
    case 'OrderCancelled':
      return { ...doc, ...touched, status: 'Cancelled', cancelReason: event.data.reason };
    default:
      return doc;
  }
};

export const ordersReadModel: ReadModel<OrderDocument, OrderEvent> = {
  collection: 'orders',
  eventTypes: orderEventTypes,
  documentIds: (event) => [event.data.orderId],
  evolve: (doc, event) => evolveOrderDocument(doc, event),
  // `_position`: the cache sync walks documents changed since the cache last kept up (cacheSync.ts).
  indexes: [
    { fields: ['userId', 'createdAt'] },
    { fields: ['status', 'createdAt'] },
    { fields: ['createdAt'] },
    { fields: ['_position'] },
  ],
};
