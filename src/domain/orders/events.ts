import type { Event, Minor } from '../shared/index.js';

export type OrderLine = { productId: string; quantity: number; unitPrice: Minor };

export type OrderPlaced = Event<
  'OrderPlaced',
  { orderId: string; userId: string; items: OrderLine[]; totalAmount: Minor }
>;
export type OrderProcessed = Event<'OrderProcessed', { orderId: string }>;
/**
 * Why an order failed: how the product refused its reservation, and which product (with its name
 * then, for the sentences people read). The product is nested, so the order event never reads as
 * one of the product's own events, which carry a top-level productId.
 */
export type OrderFailure =
  | { reason: 'insufficient_stock' | 'product_deleted'; product: { id: string; name: string } }
  | { reason: 'product_unknown'; product: { id: string } };
/** A failure recorded before reasons were codes: its sentence, which names no product id. */
export type UnspecifiedFailure = { reason: 'unspecified'; description: string };
export type OrderFailed = Event<
  'OrderFailed',
  { orderId: string } & (OrderFailure | UnspecifiedFailure)
>;
export type OrderCancelled = Event<'OrderCancelled', { orderId: string; reason: string }>;

export type OrderEvent = OrderPlaced | OrderProcessed | OrderFailed | OrderCancelled;

export const orderEventTypes = [
  'OrderPlaced',
  'OrderProcessed',
  'OrderFailed',
  'OrderCancelled',
] as const satisfies readonly OrderEvent['type'][];

export const toOrderStreamId = (orderId: string) => `order-${orderId}`;
