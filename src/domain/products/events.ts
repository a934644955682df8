import type { Event } from '../shared/index.js';
import type { Minor } from '../shared/index.js';

export type ProductAdded = Event<
  'ProductAdded',
  { productId: string; name: string; price: Minor; stock: number; addedBy: string }
>;
export type ProductUpdated = Event<
  'ProductUpdated',
  { productId: string; name?: string; price?: Minor }
>;
/** The on-hand count was set by an operator (a stock take, a delivery). */
export type StockAdjusted = Event<
  'StockAdjusted',
  { productId: string; stock: number; previous: number }
>;
export type ProductDeleted = Event<'ProductDeleted', { productId: string }>;
export type StockReserved = Event<
  'StockReserved',
  { productId: string; orderId: string; quantity: number }
>;
/** Why a product refused an order's reservation. */
export type RejectionReason = 'insufficient_stock' | 'product_deleted';
export type StockReservationRejected = Event<
  'StockReservationRejected',
  {
    productId: string;
    orderId: string;
    quantity: number;
    available: number;
    reason: RejectionReason;
  }
>;
export type StockReleased = Event<
  'StockReleased',
  { productId: string; orderId: string; quantity: number; reason: string }
>;

export type ProductEvent =
  | ProductAdded
  | ProductUpdated
  | StockAdjusted
  | ProductDeleted
  | StockReserved
  | StockReservationRejected
  | StockReleased;

export const productEventTypes = [
  'ProductAdded',
  'ProductUpdated',
  'StockAdjusted',
  'ProductDeleted',
  'StockReserved',
  'StockReservationRejected',
  'StockReleased',
] as const satisfies readonly ProductEvent['type'][];

export const toProductStreamId = (productId: string) => `product-${productId}`;
