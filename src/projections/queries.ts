import type { DocumentStore, EventStore } from '../application/ports/index.js';
import { silentLogger } from '../application/ports/index.js';
import type { OrderStatus } from '../domain/orders/index.js';
import { toOrderStreamId } from '../domain/orders/index.js';
import { toProductStreamId } from '../domain/products/index.js';
import { dailySalesProjection } from './dailySales.js';
import type { DailySalesDocument } from './dailySales.js';
import { createOrderReader } from './orderCache.js';
import type { OrderReader } from './orderCache.js';
import { evolveOrderDocument, ordersProjection } from './orders.js';
import type { OrderDocument } from './orders.js';
import { paginate } from './pagination.js';
import { evolveProductDocument, productsProjection } from './products.js';
import type { ProductDocument } from './products.js';
import { createStreamDocumentReader } from './streamReader.js';

export type OrderListQuery = { userId?: string; status?: OrderStatus; limit: number; cursor?: string };
export type ProductListQuery = { limit: number; cursor?: string };
export type DailySalesQuery = { from: string; to: string; productId?: string };

/** Every read the API makes, behind functions, so where a read comes from can change without touching routes. */
export const createQueries = (eventStore: EventStore, documents: DocumentStore, options: { readOrder?: OrderReader } = {}) => {
  const orderFromStream = createStreamDocumentReader<OrderDocument>(eventStore, evolveOrderDocument);
  const productFromStream = createStreamDocumentReader<ProductDocument>(eventStore, evolveProductDocument);
  const orders = documents.collection<OrderDocument>(ordersProjection.collection);
  const products = documents.collection<ProductDocument>(productsProjection.collection);
  const sales = documents.collection<DailySalesDocument>(dailySalesProjection.collection);

  return {
    /** Straight from the order's stream: as fresh as the log, for checks inside writes. */
    getOrder: (orderId: string) => orderFromStream(toOrderStreamId(orderId)),
    /** Cache → read model; `minPosition` refuses a cached copy older than the client has seen. */
    readOrder: options.readOrder ?? createOrderReader({ documents, logger: silentLogger }),
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
    /** Days are UTC dates (YYYY-MM-DD), both ends included. */
    dailySales: ({ from, to, productId }: DailySalesQuery) =>
      sales.find({ kind: 'daily', day: { $gte: from, $lte: to }, ...(productId ? { productId } : {}) }, { sort: { field: 'day', direction: 'asc' } }),
  };
};

export type Queries = ReturnType<typeof createQueries>;
