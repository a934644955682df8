import { deterministicId } from '../application/eventIds.js';
import type { MessageContext } from '../application/messageContext.js';
import type { OrderHandler } from '../application/orders/index.js';
import type { ProductHandler } from '../application/products/index.js';
import { toOrderStreamId } from '../domain/orders/index.js';
import type { Order, OrderLine } from '../domain/orders/index.js';
import { toProductStreamId } from '../domain/products/index.js';
import type { Product } from '../domain/products/index.js';
import { Conflict, NotFound } from '../domain/shared/index.js';
import type { IntegrationMessage } from './integrationMessages.js';

export type SagaDeps = { orders: OrderHandler; products: ProductHandler };

export type SagaOutcome = 'processed' | 'failed' | 'released' | 'skipped';

/** Every step's event ids derive from the causing event and the step, so a redelivery appends nothing twice. */
const step = (message: IntegrationMessage, ...parts: string[]) => ({
  eventId: (_event: unknown, index: number) => deterministicId(message.eventId, ...parts, index),
});

const rejectionReason = (product: Product, productId: string): string =>
  product.status === 'Unknown'
    ? `product ${productId} does not exist`
    : product.status === 'Deleted'
      ? `product ${product.name} was deleted`
      : `insufficient stock for ${product.name}`;

/**
 * Processes one order message. The order's state is read from the log; the message only says
 * which order. Stock is reserved product by product on each product stream (optimistic
 * concurrency per product); if one cannot be reserved, what was reserved is released
 * (compensation) and the order fails with a reason. Each step is idempotent, so a message
 * redelivered after a crash continues where the last attempt stopped.
 */
export const runOrderSaga = async (
  deps: SagaDeps,
  message: IntegrationMessage,
  context: MessageContext,
): Promise<SagaOutcome> => {
  const streamId = toOrderStreamId(message.orderId);
  const { state: order } = await deps.orders.load(streamId);
  if (order.status === 'None') throw new NotFound(`order ${message.orderId} is not in the log`);

  if (message.type === 'OrderCancelled' || order.status === 'Failed' || order.status === 'Cancelled') {
    // Releasing is idempotent, so doing it for an order that holds nothing costs a read and no event.
    await releaseAll(deps, message, order.items, order.status === 'Failed' ? 'order failed' : 'order cancelled', context);
    return 'released';
  }
  if (order.status === 'Processed') return 'skipped';

  const reserved: OrderLine[] = [];
  for (const [index, line] of order.items.entries()) {
    const { product, appended } = await reserve(deps, message, line, context);
    if (holds(product, message.orderId)) {
      reserved.push(line);
      continue;
    }
    const culprit = appended ? { product, line } : await earlierRejection(deps, message.orderId, order.items.slice(index), product);
    await releaseAll(deps, message, reserved, 'compensation: order failed', context);
    const reason = rejectionReason(culprit.product, culprit.line.productId);
    return settle(deps, message, streamId, { type: 'FailOrder', data: { orderId: message.orderId, reason } }, order, context, 'failed');
  }
  return settle(deps, message, streamId, { type: 'MarkOrderProcessed', data: { orderId: message.orderId } }, order, context, 'processed');
};

const holds = (product: Product, orderId: string) => product.status !== 'Unknown' && product.reservations.has(orderId);

const settledFor = (product: Product, orderId: string) =>
  product.status !== 'Unknown' && product.settled.has(orderId) && !product.reservations.has(orderId);

/**
 * A line that was already settled before this attempt (nothing appended now) was either rejected
 * by an earlier attempt, or reserved and then released by its compensation, which a crash cut off
 * before the order failed. Every attempt stops at the first line it cannot reserve and never
 * touches the lines after it, so the earlier rejection is the last line of the settled run that
 * starts here, or an unknown product just after it. Blaming the first settled line instead would
 * fail the order for stock that was there.
 */
const earlierRejection = async (deps: SagaDeps, orderId: string, lines: readonly OrderLine[], first: Product) => {
  let culprit = { product: first, line: lines[0]! };
  if (!settledFor(first, orderId)) return culprit;
  for (const line of lines.slice(1)) {
    const { state: product } = await deps.products.load(toProductStreamId(line.productId));
    if (product.status === 'Unknown') return { product, line };
    if (!settledFor(product, orderId)) break;
    culprit = { product, line };
  }
  return culprit;
};

const reserve = async (
  deps: SagaDeps,
  message: IntegrationMessage,
  line: OrderLine,
  context: MessageContext,
): Promise<{ product: Product; appended: boolean }> => {
  const command = { type: 'ReserveStock', data: { productId: line.productId, orderId: message.orderId, quantity: line.quantity } } as const;
  try {
    const result = await deps.products.handle(toProductStreamId(line.productId), command, context, step(message, 'reserve', line.productId));
    return { product: result.state, appended: result.events.length > 0 };
  } catch (error) {
    if (error instanceof NotFound) return { product: { status: 'Unknown' }, appended: false };
    throw error;
  }
};

const releaseAll = async (
  deps: SagaDeps,
  message: IntegrationMessage,
  lines: readonly OrderLine[],
  reason: string,
  context: MessageContext,
) => {
  for (const line of lines) {
    try {
      await deps.products.handle(
        toProductStreamId(line.productId),
        { type: 'ReleaseStock', data: { productId: line.productId, orderId: message.orderId, reason } },
        context,
        step(message, 'release', line.productId),
      );
    } catch (error) {
      if (!(error instanceof NotFound)) throw error;
    }
  }
};

/** The final step; if the order was cancelled meanwhile, the reservations just made are given back. */
const settle = async (
  deps: SagaDeps,
  message: IntegrationMessage,
  streamId: string,
  command: Parameters<OrderHandler['handle']>[1],
  order: Exclude<Order, { status: 'None' }>,
  context: MessageContext,
  outcome: SagaOutcome,
): Promise<SagaOutcome> => {
  try {
    await deps.orders.handle(streamId, command, context, step(message, outcome));
    return outcome;
  } catch (error) {
    if (!(error instanceof Conflict)) throw error;
    await releaseAll(deps, message, order.items, 'order cancelled', context);
    return 'released';
  }
};
