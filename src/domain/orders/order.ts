import type { Minor } from '../shared/index.js';
import type { OrderEvent, OrderFailure, OrderLine, UnspecifiedFailure } from './events.js';
import { describeFailure } from './failure.js';

type OrderFacts = {
  orderId: string;
  userId: string;
  items: readonly OrderLine[];
  totalAmount: Minor;
};

export type NoOrder = { status: 'None' };
export type PendingOrder = { status: 'Pending' } & OrderFacts;
export type ProcessedOrder = { status: 'Processed' } & OrderFacts;
export type FailedOrder = {
  status: 'Failed';
  failure: OrderFailure | UnspecifiedFailure;
  /** The failure as a sentence for people. */
  failureReason: string;
} & OrderFacts;
export type CancelledOrder = {
  status: 'Cancelled';
  cancelReason: string;
  /** Whether stock was reserved when it was cancelled (Processed orders hold reservations). */
  cancelledFrom: 'Pending' | 'Processed';
} & OrderFacts;

export type Order = NoOrder | PendingOrder | ProcessedOrder | FailedOrder | CancelledOrder;
export type OrderStatus = Exclude<Order['status'], 'None'>;

/** Every status an order can have, in the order of its life: what the API, metrics and queries enumerate. */
export const orderStatuses = [
  'Pending',
  'Processed',
  'Failed',
  'Cancelled',
] as const satisfies readonly OrderStatus[];
type UnlistedStatus = Exclude<OrderStatus, (typeof orderStatuses)[number]>;
// A status added to Order but not to the list fails to compile here, naming the status.
const _everyStatusListed: [UnlistedStatus] extends [never] ? true : UnlistedStatus = true;

export const initialOrder = (): Order => ({ status: 'None' });

const facts = ({ orderId, userId, items, totalAmount }: OrderFacts): OrderFacts => ({
  orderId,
  userId,
  items,
  totalAmount,
});

export const evolveOrder = (state: Order, event: OrderEvent): Order => {
  if (event.type === 'OrderPlaced') return { status: 'Pending', ...facts(event.data) };
  if (state.status === 'None') return state;
  switch (event.type) {
    case 'OrderProcessed':
      return { status: 'Processed', ...facts(state) };
    case 'OrderFailed': {
      const { orderId: _orderId, ...failure } = event.data;
      return {
        status: 'Failed',
        ...facts(state),
        failure,
        failureReason: describeFailure(failure),
      };
    }
    case 'OrderCancelled':
      return {
        status: 'Cancelled',
        ...facts(state),
        cancelReason: event.data.reason,
        cancelledFrom: state.status === 'Processed' ? 'Processed' : 'Pending',
      };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};
