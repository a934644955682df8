import type { DocumentStore, EventStore } from '../../application/ports/index.js';
import { paginate } from '../../application/ports/index.js';
import type { OrderEvent, OrderStatus } from '../../domain/orders/index.js';
import { orderEventTypes, toOrderStreamId } from '../../domain/orders/index.js';
import { createStreamDocumentReader } from '../engine/index.js';
import type { OrderReader } from './cache.js';
import { evolveOrderDocument, ordersReadModel } from './projection.js';
import type { OrderDocument } from './projection.js';

export type OrderListQuery = {
  userId?: string;
  status?: OrderStatus;
  limit: number;
  cursor?: string;
};

export type OrderQueriesDeps = {
  eventStore: EventStore;
  documents: DocumentStore;
  /** Cache → read model (createOrderReader), as the composition root sets it up. */
  readOrder: OrderReader;
};

export const createOrderQueries = ({ eventStore, documents, readOrder }: OrderQueriesDeps) => {
  const orderFromStream = createStreamDocumentReader<OrderDocument, OrderEvent>(
    eventStore,
    orderEventTypes,
    evolveOrderDocument,
  );
  const orders = documents.collection<OrderDocument>(ordersReadModel.collection);
  return {
    /** Straight from the order's stream: as fresh as the log, for checks inside writes. */
    loadOrderFromStream: (orderId: string) => orderFromStream(toOrderStreamId(orderId)),
    /** Cache → read model; `minPosition` refuses a cached copy older than the client has seen. */
    readOrderThroughCache: readOrder,
    listOrders: ({ userId, status, limit, cursor }: OrderListQuery) =>
      paginate(
        orders,
        { ...(userId ? { userId } : {}), ...(status ? { status } : {}) },
        { field: 'createdAt', direction: 'desc' },
        limit,
        cursor,
      ),
  };
};
