import type { Command, Minor } from '../shared/index.js';
import type { OrderFailure } from './events.js';

/** What placement needs to know of a product at the moment of ordering. */
export type ProductAtPlacement =
  | { status: 'Unknown' }
  | { status: 'Active' | 'Deleted'; name: string; price: Minor; available: number };

export type PlaceOrder = Command<
  'PlaceOrder',
  {
    orderId: string;
    userId: string;
    items: ReadonlyArray<{ productId: string; quantity: number }>;
    /** The products named by `items`, as read just before deciding. */
    products: Readonly<Record<string, ProductAtPlacement>>;
  }
>;
export type MarkOrderProcessed = Command<'MarkOrderProcessed', { orderId: string }>;
export type FailOrder = Command<'FailOrder', { orderId: string } & OrderFailure>;
export type CancelOrder = Command<'CancelOrder', { orderId: string; reason: string }>;

export type OrderCommand = PlaceOrder | MarkOrderProcessed | FailOrder | CancelOrder;
