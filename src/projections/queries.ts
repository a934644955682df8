import type { DocumentStore, EventStore } from '../application/ports/index.js';
import type { OrderStatus } from '../domain/orders/index.js';
import { toOrderStreamId } from '../domain/orders/index.js';
import { toProductStreamId } from '../domain/products/index.js';
import { evolveOrderDocument, ordersProjection } from './orders.js';
import type { OrderDocument } from './orders.js';
import { paginate } from './pagination.js';
import { evolveProductDocument, productsProjection } from './products.js';
import type { ProductDocument } from './products.js';
import { createStreamDocumentReader } from './streamReader.js';

export type OrderListQuery = { userId?: string; status?: OrderStatus; limit: number; cursor?: string };
export type ProductListQuery = { limit: number; cursor?: string };

/** Every read the API makes, behind functions, so where a read comes from can change without touching routes. */
export const createQueries = (eventStore: EventStore, documents: DocumentStore) => {
  const orderFromStream = createStreamDocumentReader<OrderDocument>(eventStore, evolveOrderDocument);
  const productFromStream = createStreamDocumentReader<ProductDocument>(eventStore, evolveProductDocument);
  const orders = documents.collection<OrderDocument>(ordersProjection.collection);
  const products = documents.collection<ProductDocument>(productsProjection.collection);

  return {
    getOrder: (orderId: string) => orderFromStream(toOrderStreamId(orderId)),
    listOrders: ({ userId, status, limit, cursor }: OrderListQuery) =>
      paginate(
        orders,
        { ...(userId ? { userId } : {}), ...(status ? { status } : {}) },
        { field: 'createdAt', direction: 'desc' },
        limit,
        cursor,
      ),
    getProduct: async (productId: string) => {
      const doc = await productFromStream(toProductStreamId(productId));
      return doc && !doc.deleted ? doc : null;
    },
    listProducts: ({ limit, cursor }: ProductListQuery) =>
      paginate(products, { deleted: false }, { field: 'createdAt', direction: 'asc' }, limit, cursor),
  };
};

export type Queries = ReturnType<typeof createQueries>;
