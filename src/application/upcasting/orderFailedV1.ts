import type { OrderFailure, UnspecifiedFailure } from '../../domain/orders/index.js';
import type { Upcaster } from './upcast.js';

type StoredOrderFailed = { orderId: string; reason: unknown; product?: { id?: unknown } };

const UNKNOWN_PRODUCT = /^product (.+) does not exist$/;

const codes: ReadonlySet<unknown> = new Set<OrderFailure['reason']>([
  'insufficient_stock',
  'product_deleted',
  'product_unknown',
]);

/**
 * OrderFailed v1 said why in a sentence (`reason: 'insufficient stock for Teapot'`); v2 carries a
 * code and the product. Only an unknown product's sentence names the product's id; the others
 * name it by its name then, which cannot be turned back into an id, so they keep their sentence
 * as an unspecified failure, shown word for word as before. Data already in the v2 shape is
 * returned as is.
 */
export const orderFailedV1: Upcaster = (data) => {
  const stored = data as StoredOrderFailed;
  if (typeof stored?.orderId !== 'string') throw new TypeError('OrderFailed has no orderId');
  if (codes.has(stored.reason) && typeof stored.product?.id === 'string') return data;
  const sentence = typeof stored.reason === 'string' ? stored.reason : '';
  const unknown = UNKNOWN_PRODUCT.exec(sentence);
  const failure: OrderFailure | UnspecifiedFailure = unknown
    ? { reason: 'product_unknown', product: { id: unknown[1]! } }
    : { reason: 'unspecified', description: sentence };
  return { orderId: stored.orderId, ...failure };
};
