import type { Command, Minor } from '../shared/index.js';

export type AddProduct = Command<
  'AddProduct',
  { productId: string; name: string; price: Minor; stock: number; addedBy: string }
>;
/** Changes any of name, price and on-hand stock; fields left out stay as they are. */
export type UpdateProduct = Command<
  'UpdateProduct',
  { productId: string; name?: string; price?: Minor; stock?: number }
>;
export type DeleteProduct = Command<'DeleteProduct', { productId: string }>;
export type ReserveStock = Command<
  'ReserveStock',
  { productId: string; orderId: string; quantity: number }
>;
export type ReleaseStock = Command<
  'ReleaseStock',
  { productId: string; orderId: string; reason: string }
>;

export type ProductCommand =
  AddProduct | UpdateProduct | DeleteProduct | ReserveStock | ReleaseStock;
