import type { Event, Minor } from '../shared/index.js';

export type OrderLine = { productId: string; quantity: number; unitPrice: Minor };

export type OrderPlaced = Event<
  'OrderPlaced',
  { orderId: string; userId: string; items: OrderLine[]; totalAmount: Minor }
>;
export type OrderProcessed = Event<'OrderProcessed', { orderId: string }>;
export type OrderFailed = Event<'OrderFailed', { orderId: string; reason: string }>;
export type OrderCancelled = Event<'OrderCancelled', { orderId: string; reason: string }>;

export type OrderEvent = OrderPlaced | OrderProcessed | OrderFailed | OrderCancelled;

export const orderEventTypes = [
  'OrderPlaced',
  'OrderProcessed',
  'OrderFailed',
  'OrderCancelled',
] as const satisfies readonly OrderEvent['type'][];

export const toOrderStreamId = (orderId: string) => `order-${orderId}`;
