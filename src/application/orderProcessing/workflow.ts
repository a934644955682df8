import { NotFound } from '../../domain/shared/index.js';
import { evolveOrderWorkflow, initialOrderWorkflowState } from './state.js';
import type {
  OrderMessageReceived,
  OrderWorkflowInput,
  OrderWorkflowOutput,
  OrderWorkflowState,
  Placed,
} from './state.js';
import type { Workflow } from './workflowType.js';

export const COMPENSATION = 'compensation: order failed';

/** Releasing is idempotent, so giving back every line costs a read where nothing is held, and no event. */
const releaseAll = (state: Placed, reason: string): OrderWorkflowOutput[] =>
  state.lines.map(({ productId }) => ({
    type: 'ReleaseStock',
    data: { productId, orderId: state.orderId, reason },
  }));

/**
 * The next step of a reservation walk. A line released while no refusal is known was given back
 * by the compensation of an earlier attempt, which a crash cut off: the walk goes on, and the
 * product that refused then refuses again (it remembers), so the order fails for that product.
 */
const proceed = (state: OrderWorkflowState): OrderWorkflowOutput[] => {
  if (state.status !== 'Reserving') return [];
  const { orderId, lines, refusal } = state;
  if (refusal) {
    const held = lines.filter((line) => line.progress === 'held');
    return [
      ...held.map(({ productId }): OrderWorkflowOutput => ({
        type: 'ReleaseStock',
        data: { productId, orderId, reason: COMPENSATION },
      })),
      { type: 'FailOrder', data: { orderId, ...refusal } },
    ];
  }
  if (lines.some((line) => line.progress === 'asked')) return [];
  const next = lines.find((line) => line.progress === 'unasked');
  if (next)
    return [
      {
        type: 'ReserveStock',
        data: { productId: next.productId, orderId, quantity: next.quantity },
      },
    ];
  if (lines.every((line) => line.progress === 'held'))
    return [{ type: 'MarkOrderProcessed', data: { orderId } }];
  throw new Error(`order ${orderId}: a reservation was released, yet no product refused one`);
};

const onMessage = (
  { data }: OrderMessageReceived,
  state: OrderWorkflowState,
): OrderWorkflowOutput[] => {
  if (state.status === 'NotPlaced') throw new NotFound(`order ${data.orderId} is not in the log`);
  if (data.message === 'OrderCancelled') return releaseAll(state, 'order cancelled');
  switch (state.status) {
    case 'Failed':
      return releaseAll(state, 'order failed');
    case 'Cancelled':
      return releaseAll(state, 'order cancelled');
    case 'Processed':
      return [];
    case 'Reserving':
    case 'Settling':
      return proceed(state);
    default: {
      const _exhaustive: never = state;
      return [];
    }
  }
};

/**
 * What to do on hearing `input`. The order's stream ending otherwise than asked (a cancel racing
 * the final step) gives back everything; a product's answer moves the reservation walk on.
 */
export const decideOrderWorkflow = (
  input: OrderWorkflowInput,
  state: OrderWorkflowState,
): OrderWorkflowOutput[] => {
  switch (input.type) {
    case 'OrderMessageReceived':
      return onMessage(input, state);
    case 'OrderPlaced':
    case 'OrderProcessed':
      return [];
    case 'OrderFailed':
      return state.status === 'NotPlaced' ||
        (state.status === 'Settling' && state.settling === 'failed')
        ? []
        : releaseAll(state, 'order failed');
    case 'OrderCancelled':
      return state.status === 'NotPlaced' ? [] : releaseAll(state, 'order cancelled');
    case 'StockReserved':
    case 'StockReservationRejected':
    case 'StockReleased':
    case 'ProductNotFound':
      return proceed(evolveOrderWorkflow(state, input));
    default: {
      const _exhaustive: never = input;
      return [];
    }
  }
};

export const orderWorkflow: Workflow<OrderWorkflowInput, OrderWorkflowState, OrderWorkflowOutput> =
  {
    decide: decideOrderWorkflow,
    evolve: evolveOrderWorkflow,
    initialState: initialOrderWorkflowState,
  };

export type ProcessingOutcome = 'processed' | 'failed' | 'released' | 'skipped';

/** What one run came to, from the commands it issued and where the order ended. */
export const outcomeOf = (
  issued: readonly OrderWorkflowOutput[],
  end: OrderWorkflowState,
): ProcessingOutcome => {
  const asked = (type: OrderWorkflowOutput['type']) =>
    issued.some((output) => output.type === type);
  if (end.status === 'Processed' && asked('MarkOrderProcessed')) return 'processed';
  if (end.status === 'Failed' && asked('FailOrder')) return 'failed';
  return asked('ReleaseStock') ? 'released' : 'skipped';
};
