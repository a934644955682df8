import { BusinessRuleViolated, Conflict, InvalidInput, NotFound } from '../shared/index.js';
import type { Decider } from '../shared/index.js';
import type {
  CancelOrder,
  FailOrder,
  MarkOrderProcessed,
  OrderCommand,
  PlaceOrder,
} from './commands.js';
import type { OrderEvent, OrderLine } from './events.js';
import { evolveOrder, initialOrder } from './order.js';
import type { Order } from './order.js';

export const MAX_ORDER_LINES = 100;

/** The same product named twice in one order becomes one line with the summed quantity. */
export const mergeLines = (items: PlaceOrder['data']['items']): Map<string, number> => {
  const merged = new Map<string, number>();
  for (const { productId, quantity } of items) {
    if (!Number.isSafeInteger(quantity) || quantity <= 0) {
      throw new InvalidInput(`quantity for product ${productId} must be a positive integer`);
    }
    merged.set(productId, (merged.get(productId) ?? 0) + quantity);
  }
  return merged;
};

export const placeOrder = ({ data }: PlaceOrder, state: Order): OrderEvent[] => {
  if (state.status !== 'None') throw new Conflict(`order ${data.orderId} already exists`);
  if (data.items.length === 0) throw new InvalidInput('an order needs at least one item');
  const merged = mergeLines(data.items);
  if (merged.size > MAX_ORDER_LINES)
    throw new InvalidInput(`an order has at most ${MAX_ORDER_LINES} products`);

  const lines: OrderLine[] = [];
  for (const [productId, quantity] of merged) {
    // Own keys only: an id such as 'constructor' must not find Object.prototype's member.
    const known = Object.hasOwn(data.products, productId) ? data.products[productId] : undefined;
    const product = known ?? { status: 'Unknown' };
    if (product.status === 'Unknown')
      throw new BusinessRuleViolated(`product ${productId} does not exist`);
    if (product.status === 'Deleted')
      throw new BusinessRuleViolated(`product ${product.name} was deleted`);
    if (product.available < quantity) {
      throw new BusinessRuleViolated(`only ${product.available} of ${product.name} available`, {
        productId,
        available: product.available,
      });
    }
    lines.push({ productId, quantity, unitPrice: product.price });
  }
  const totalAmount = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  if (!Number.isSafeInteger(totalAmount)) throw new InvalidInput('the order total is too large');
  return [
    {
      type: 'OrderPlaced',
      data: { orderId: data.orderId, userId: data.userId, items: lines, totalAmount },
    },
  ];
};

const requireOrder = (state: Order, orderId: string) => {
  if (state.status === 'None') throw new NotFound(`order ${orderId} not found`);
  return state;
};

export const markOrderProcessed = ({ data }: MarkOrderProcessed, state: Order): OrderEvent[] => {
  const order = requireOrder(state, data.orderId);
  if (order.status === 'Processed') return [];
  if (order.status !== 'Pending')
    throw new Conflict(`order ${data.orderId} is ${order.status}, not Pending`);
  return [{ type: 'OrderProcessed', data: { orderId: data.orderId } }];
};

export const failOrder = ({ data }: FailOrder, state: Order): OrderEvent[] => {
  const order = requireOrder(state, data.orderId);
  if (order.status === 'Failed') return [];
  if (order.status !== 'Pending')
    throw new Conflict(`order ${data.orderId} is ${order.status}, not Pending`);
  return [{ type: 'OrderFailed', data }];
};

export const cancelOrder = ({ data }: CancelOrder, state: Order): OrderEvent[] => {
  const order = requireOrder(state, data.orderId);
  if (order.status === 'Cancelled') return [];
  if (order.status === 'Failed')
    throw new Conflict(`order ${data.orderId} has failed and cannot be cancelled`);
  return [{ type: 'OrderCancelled', data }];
};

export const decideOrder = (command: OrderCommand, state: Order): OrderEvent[] => {
  switch (command.type) {
    case 'PlaceOrder':
      return placeOrder(command, state);
    case 'MarkOrderProcessed':
      return markOrderProcessed(command, state);
    case 'FailOrder':
      return failOrder(command, state);
    case 'CancelOrder':
      return cancelOrder(command, state);
    default: {
      const _exhaustive: never = command;
      throw new Error(`Unknown command ${(_exhaustive as OrderCommand).type}`);
    }
  }
};

export const orderDecider: Decider<Order, OrderCommand, OrderEvent> = {
  decide: decideOrder,
  evolve: evolveOrder,
  initialState: initialOrder,
};
