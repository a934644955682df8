import type {
  FailOrder,
  MarkOrderProcessed,
  OrderCancelled,
  OrderFailed,
  OrderFailure,
  OrderPlaced,
  OrderProcessed,
} from '../../domain/orders/index.js';
import type { RejectionReason, ReleaseStock, ReserveStock } from '../../domain/products/index.js';
import type { Event } from '../../domain/shared/index.js';

/** The queue's message: which order, and whether it was placed or cancelled. The log says the rest. */
export type OrderMessageReceived = Event<
  'OrderMessageReceived',
  { orderId: string; message: 'OrderPlaced' | 'OrderCancelled' }
>;

/** A product's answer to this order's reservation or release, as the workflow hears it. */
export type StockReplied =
  | Event<'StockReserved', { orderId: string; productId: string }>
  | Event<
      'StockReservationRejected',
      { orderId: string; productId: string; productName: string; reason: RejectionReason }
    >
  | Event<'StockReleased', { orderId: string; productId: string }>
  /** The product handler's NotFound: no product has this id. */
  | Event<'ProductNotFound', { orderId: string; productId: string }>;

export type OrderWorkflowInput =
  OrderMessageReceived | OrderPlaced | OrderProcessed | OrderFailed | OrderCancelled | StockReplied;

export type OrderWorkflowOutput = ReserveStock | ReleaseStock | MarkOrderProcessed | FailOrder;

/** `asked`: a reservation is out and its answer not heard yet. */
export type LineProgress = 'unasked' | 'asked' | 'held' | 'released' | 'refused';
export type WorkflowLine = { productId: string; quantity: number; progress: LineProgress };

export type Placed = {
  orderId: string;
  lines: readonly WorkflowLine[];
  /** The first refusal heard: what the order fails for. */
  refusal: OrderFailure | null;
};
export type OrderWorkflowState =
  | { status: 'NotPlaced' }
  /** Reserving line by line, in order: a line is asked only once the one before it has answered. */
  | ({ status: 'Reserving' } & Placed)
  /** The final command is out. */
  | ({ status: 'Settling'; settling: 'processed' | 'failed' } & Placed)
  | ({ status: 'Processed' | 'Failed' | 'Cancelled' } & Placed);

export const initialOrderWorkflowState = (): OrderWorkflowState => ({ status: 'NotPlaced' });

const withLine = (
  state: Placed,
  productId: string,
  progress: LineProgress,
): readonly WorkflowLine[] =>
  state.lines.map((line) => (line.productId === productId ? { ...line, progress } : line));

const refused = (state: Placed, productId: string, refusal: OrderFailure): Placed => ({
  ...state,
  lines: withLine(state, productId, 'refused'),
  refusal: state.refusal ?? refusal,
});

export const evolveOrderWorkflow = (
  state: OrderWorkflowState,
  event: OrderWorkflowInput | OrderWorkflowOutput,
): OrderWorkflowState => {
  if (event.type === 'OrderPlaced') {
    const { orderId, items } = event.data;
    const lines = items.map(({ productId, quantity }) => ({
      productId,
      quantity,
      progress: 'unasked' as const,
    }));
    return { status: 'Reserving', orderId, lines, refusal: null };
  }
  if (state.status === 'NotPlaced') return state;
  switch (event.type) {
    case 'OrderMessageReceived':
    case 'ReleaseStock':
      return state;
    case 'OrderProcessed':
      return { ...state, status: 'Processed' };
    case 'OrderFailed':
      return { ...state, status: 'Failed' };
    case 'OrderCancelled':
      return { ...state, status: 'Cancelled' };
    case 'ReserveStock':
      return { ...state, lines: withLine(state, event.data.productId, 'asked') };
    case 'StockReserved':
      return { ...state, lines: withLine(state, event.data.productId, 'held') };
    case 'StockReleased':
      return { ...state, lines: withLine(state, event.data.productId, 'released') };
    case 'StockReservationRejected': {
      const { productId, productName, reason } = event.data;
      return {
        ...state,
        ...refused(state, productId, { reason, product: { id: productId, name: productName } }),
      };
    }
    case 'ProductNotFound': {
      const { productId } = event.data;
      return {
        ...state,
        ...refused(state, productId, { reason: 'product_unknown', product: { id: productId } }),
      };
    }
    case 'MarkOrderProcessed':
      return { ...state, status: 'Settling', settling: 'processed' };
    case 'FailOrder':
      return { ...state, status: 'Settling', settling: 'failed' };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};
