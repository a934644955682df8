import { toOrderStreamId } from '../../domain/orders/index.js';
import { toProductStreamId } from '../../domain/products/index.js';
import { Conflict, NotFound, fold } from '../../domain/shared/index.js';
import { deterministicId } from '../eventIds.js';
import type { MessageContext } from '../messageContext.js';
import type { OrderHandler } from '../orders/index.js';
import type { ProductHandler } from '../products/index.js';
import { answerOf, endingOf, seenOnOrderStream } from './replies.js';
import { orderWorkflow, outcomeOf } from './workflow.js';
import type { OrderWorkflowInput, OrderWorkflowOutput } from './state.js';
import type { ProcessingOutcome } from './workflow.js';

export type OrderProcessingDeps = { orders: OrderHandler; products: ProductHandler };

/** What the queue brings: the order, and the event it was forwarded for (the cause of every step). */
export type OrderMessage = {
  type: 'OrderPlaced' | 'OrderCancelled';
  orderId: string;
  eventId: string;
};

/** Every step's event ids derive from the causing event and the step, so a redelivery appends nothing twice. */
const step = (message: OrderMessage, ...parts: string[]) => ({
  eventId: (_event: unknown, index: number) => deterministicId(message.eventId, ...parts, index),
});

/** Runs one command the workflow asked for and returns what it hears back. */
const execute = async (
  deps: OrderProcessingDeps,
  message: OrderMessage,
  output: OrderWorkflowOutput,
  context: MessageContext,
): Promise<OrderWorkflowInput[]> => {
  const { orderId } = message;
  switch (output.type) {
    case 'ReserveStock':
    case 'ReleaseStock': {
      const { productId } = output.data;
      const kind = output.type === 'ReserveStock' ? 'reserve' : 'release';
      try {
        const result = await deps.products.handle(
          toProductStreamId(productId),
          output,
          context,
          step(message, kind, productId),
        );
        return answerOf(result.state, orderId, productId);
      } catch (error) {
        if (!(error instanceof NotFound)) throw error;
        return kind === 'reserve'
          ? [{ type: 'ProductNotFound', data: { orderId, productId } }]
          : [];
      }
    }
    case 'MarkOrderProcessed':
    case 'FailOrder': {
      const streamId = toOrderStreamId(orderId);
      const outcome = output.type === 'MarkOrderProcessed' ? 'processed' : 'failed';
      try {
        return endingOf(
          (await deps.orders.handle(streamId, output, context, step(message, outcome))).state,
        );
      } catch (error) {
        // The order moved on meanwhile (cancelled): the workflow hears how it ended instead.
        if (!(error instanceof Conflict)) throw error;
        return endingOf((await deps.orders.load(streamId)).state);
      }
    }
    default: {
      const _exhaustive: never = output;
      throw new Error(`Unknown command ${(_exhaustive as OrderWorkflowOutput).type}`);
    }
  }
};

/**
 * Processes one order message. The workflow's state is folded from the order's stream, then each
 * command it decides is run and what comes back is heard in turn. A redelivery after a crash at
 * any step folds the same stream and repeats the same steps with the same event ids: each step
 * that already happened appends nothing and answers as it did, so the run goes on from there.
 */
export const runOrderWorkflow = async (
  deps: OrderProcessingDeps,
  message: OrderMessage,
  context: MessageContext,
): Promise<ProcessingOutcome> => {
  const { state: order } = await deps.orders.load(toOrderStreamId(message.orderId));
  let state = fold(orderWorkflow, seenOnOrderStream(order));
  const heard: OrderWorkflowInput[] = [
    { type: 'OrderMessageReceived', data: { orderId: message.orderId, message: message.type } },
  ];
  const issued: OrderWorkflowOutput[] = [];
  for (let input = heard.shift(); input; input = heard.shift()) {
    const outputs = orderWorkflow.decide(input, state);
    state = [input, ...outputs].reduce(orderWorkflow.evolve, state);
    for (const output of outputs) {
      issued.push(output);
      heard.push(...(await execute(deps, message, output, context)));
    }
  }
  return outcomeOf(issued, state);
};
