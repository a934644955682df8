import { randomUUID } from 'node:crypto';
import { mergeLines, toOrderStreamId } from '../../domain/orders/index.js';
import type {
  Order,
  OrderCommand,
  OrderEvent,
  ProductAtPlacement,
} from '../../domain/orders/index.js';
import { toProductStreamId } from '../../domain/products/index.js';
import { Conflict } from '../../domain/shared/index.js';
import type { CommandHandler, HandleResult } from '../commandHandler.js';
import { deterministicId } from '../eventIds.js';
import type { MessageContext } from '../messageContext.js';
import type { ProductHandler } from '../products/index.js';
import { toProductAtPlacement } from '../products/index.js';

export type OrderHandler = CommandHandler<Order, OrderCommand, OrderEvent>;

export type PlaceOrderInput = {
  userId: string;
  items: ReadonlyArray<{ productId: string; quantity: number }>;
  /** The client's Idempotency-Key: the same key from the same user always names the same order. */
  idempotencyKey?: string;
};

export type PlacedOrder = HandleResult<Order, OrderEvent> & { orderId: string; replayed: boolean };

const sameRequest = (order: Order, input: PlaceOrderInput) => {
  if (order.status === 'None') return false;
  const asked = mergeLines(input.items);
  return (
    order.items.length === asked.size &&
    order.items.every((line) => asked.get(line.productId) === line.quantity)
  );
};

/**
 * Places an order at the prices of this moment. Availability is checked here so clients get a 422
 * at once, but nothing is reserved: the order processor reserves stock on each product stream.
 * With an Idempotency-Key the order id is derived from (user, key), so the log itself makes
 * creation exactly-once, surviving restarts and cache loss.
 */
export const placeOrder = async (
  deps: { orders: OrderHandler; products: ProductHandler },
  input: PlaceOrderInput,
  context: MessageContext,
): Promise<PlacedOrder> => {
  const orderId = input.idempotencyKey
    ? deterministicId('order', input.userId, input.idempotencyKey)
    : randomUUID();
  const streamId = toOrderStreamId(orderId);
  const replay = async (): Promise<PlacedOrder | undefined> => {
    const existing = await deps.orders.load(streamId);
    if (existing.state.status === 'None') return undefined;
    if (!sameRequest(existing.state, input)) {
      throw new Conflict('this Idempotency-Key was already used for a different order');
    }
    return { ...existing, events: [], position: undefined, orderId, replayed: true };
  };
  if (input.idempotencyKey) {
    const replayed = await replay();
    if (replayed) return replayed;
  }
  const productIds = [...new Set(input.items.map((item) => item.productId))];
  // Coalesced: when many customers order one product at once, their placements share its read.
  const atPlacement = await Promise.all(
    productIds.map(
      async (id) =>
        [
          id,
          toProductAtPlacement(
            (await deps.products.load(toProductStreamId(id), { coalesce: true })).state,
          ),
        ] as const,
    ),
  );
  const products: Record<string, ProductAtPlacement> = Object.fromEntries(atPlacement);
  try {
    const result = await deps.orders.handle(
      streamId,
      { type: 'PlaceOrder', data: { orderId, userId: input.userId, items: input.items, products } },
      context,
      // A random id is a new stream; one derived from an Idempotency-Key may already exist.
      { newStream: !input.idempotencyKey },
    );
    return { ...result, orderId, replayed: false };
  } catch (error) {
    // Two requests with one key raced: the loser answers with the winner's order.
    const replayed = input.idempotencyKey && error instanceof Conflict ? await replay() : undefined;
    if (replayed) return replayed;
    throw error;
  }
};
