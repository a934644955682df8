import { z } from 'zod';
import { roles } from '../../application/ports/index.js';
import { orderStatus } from '../routes/orders.js';

/**
 * What the API answers, as zod: the success bodies of API.md and the problem+json body. Objects are
 * strict so that a field leaking out of a read model (`_revision`, `_position`) fails the contract.
 */

export const instant = z.iso.datetime().describe('ISO 8601, UTC');
const id = z.uuid();
const ok = z.literal(true);
export const nextCursor = z
  .string()
  .nullable()
  .describe('Pass as `cursor` for the next page; null on the last page');

/** `{success: true, message}` with the exact message older clients compare against. */
const said = (message: string) => z.strictObject({ success: ok, message: z.literal(message) });

export const fieldIssue = z.strictObject({
  path: z
    .string()
    .describe('Where in the input, e.g. `items[0].quantity`; empty for the whole input'),
  message: z.string(),
});

export const problem = z
  .strictObject({
    type: z.url(),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string(),
    instance: z.string().optional().describe('The request path and query'),
    success: z.literal(false).describe('Kept for older clients'),
    message: z.string().describe('Kept for older clients: the same text as `detail`'),
    errors: z
      .union([z.array(fieldIssue), z.record(z.string(), z.unknown())])
      .optional()
      .describe('400: every field that failed; 422: the numbers behind the rule'),
  })
  .describe('RFC 9457 problem details, with `success` and `message` for older clients');

export const role = z.enum(roles);

export const otpSent = said('OTP generated and sent successfully');
export const userCreated = said('User created successfully');
export const loggedIn = z.strictObject({
  success: ok,
  token: z.string(),
  refreshToken: z.string(),
});
export const refreshed = z.strictObject({
  success: ok,
  accessToken: z.string(),
  refreshToken: z.string(),
});
export const me = z.strictObject({
  _id: id,
  name: z.string(),
  email: z.email(),
  phone: z.string().nullable().describe('null for accounts made with the CLI without one'),
  role,
});

const money = z.number().nonnegative();

export const product = z.strictObject({
  _id: id,
  name: z.string(),
  price: money,
  stock: z.int().nonnegative().describe('On hand'),
  reserved: z.int().nonnegative().describe('Held by open orders'),
  available: z.int().describe('stock - reserved'),
  deleted: z.boolean(),
  createdAt: instant,
  updatedAt: instant,
});
export const productCreated = z.strictObject({
  success: ok,
  product: z.strictObject({
    _id: id,
    name: z.string(),
    price: money,
    stock: z.int().nonnegative(),
    createdAt: instant,
  }),
  message: z.literal('Product added successfully'),
});
export const productUpdated = said('Product updated successfully');
export const productDeleted = said('Product deleted successfully');
export const productList = z.strictObject({ success: ok, products: z.array(product), nextCursor });

export const orderLine = z.strictObject({
  productId: id,
  quantity: z.int().positive(),
  unitPrice: money,
});
export const order = z.strictObject({
  _id: id,
  orderId: id.describe('The same as `_id`'),
  userId: id,
  items: z.array(orderLine),
  totalAmount: money,
  status: orderStatus,
  createdAt: instant,
  updatedAt: instant,
  failureReason: z.string().optional().describe('Why a Failed order failed'),
  cancelReason: z.string().optional().describe('Who cancelled a Cancelled order'),
});
export const orderPlaced = z.strictObject({
  success: ok,
  order,
  message: z.literal('Order placed successfully and sent to queue'),
});
export const orderList = z.strictObject({ success: ok, orders: z.array(order), nextCursor });
export const orderCancelled = said('Order cancelled successfully');

export const health = z.strictObject({ status: z.literal('ok') });
export const readiness = z.strictObject({
  status: z.enum(['ready', 'not ready']),
  checks: z
    .record(z.string(), z.enum(['ok', 'down', 'degraded']))
    .describe('Per dependency; a degraded cache does not make the service unready'),
});
