import { backoff } from '../application/backoff.js';
import { runOrderWorkflow } from '../application/orderProcessing/index.js';
import type {
  OrderProcessingDeps,
  ProcessingOutcome,
} from '../application/orderProcessing/index.js';
import type { Logger, Queue, ReceivedMessage } from '../application/ports/index.js';
import { NotFound } from '../domain/shared/index.js';
import { parseIntegrationMessage } from './integrationMessages.js';

/** The most one receive brings (SQS's limit). */
const RECEIVE_BATCH = 10;

export type ProcessorDeps = OrderProcessingDeps & {
  /** Its name in the register of subscriptions: the log field. */
  name: string;
  queue: Queue;
  logger: Logger;
  /** Messages handled at once (different orders; one order's messages always in order). */
  concurrency: number;
  /** Long-poll wait of each receive. */
  waitSeconds: number;
  /** Longest pause before a message that failed for a passing reason is tried again. */
  maxBackoffSeconds?: number;
};

export type RunningProcessor = {
  stop(): Promise<void>;
  done: Promise<void>;
  counts(): Readonly<Record<ProcessingOutcome | 'retried' | 'deadLettered', number>>;
};

/** Exponential backoff with jitter, by how often the message has been received. */
const backoffSeconds = (receiveCount: number, max: number) =>
  Math.min(max, backoff(receiveCount, { base: 1, maxDoublings: 10, jitter: true }));

/** Messages of one group in receive order (real SQS FIFO may hand over several of one group at once). */
const byGroup = (messages: readonly ReceivedMessage[]) => {
  const groups = new Map<string, ReceivedMessage[]>();
  for (const message of messages)
    groups.set(message.groupId, [...(groups.get(message.groupId) ?? []), message]);
  return [...groups.values()];
};

/**
 * Long-polls the queue and runs the order workflow for each message. A message that cannot be parsed,
 * or names an order the log does not have, is dead-lettered at once with the reason; any other
 * error releases it with backoff, and the queue dead-letters it past its maximum receive count.
 */
export const startOrderProcessor = (deps: ProcessorDeps): RunningProcessor => {
  const { queue, concurrency, waitSeconds, maxBackoffSeconds = 60 } = deps;
  const logger = deps.logger.child({ consumer: deps.name });
  const counts = { processed: 0, failed: 0, released: 0, skipped: 0, retried: 0, deadLettered: 0 };
  const inFlight = new Set<Promise<void>>();
  let stopping = false;

  const deadLetter = async (message: ReceivedMessage, reason: string) => {
    await queue.deadLetter(message, reason);
    counts.deadLettered += 1;
    logger.warn(
      { messageId: message.id, orderId: message.groupId, reason },
      'message dead-lettered',
    );
  };

  /** Returns false when the message was put back, so the rest of its group waits behind it. */
  const handle = async (message: ReceivedMessage): Promise<boolean> => {
    const parsed = parseIntegrationMessage(message.body);
    if (!parsed.ok) {
      await deadLetter(message, parsed.reason);
      return true;
    }
    const { correlationId, eventId, orderId } = parsed.message;
    const log = logger.child({ correlationId, orderId });
    try {
      const outcome = await runOrderWorkflow(deps, parsed.message, {
        userId: 'processor',
        role: 'system',
        correlationId,
        causationId: eventId,
      });
      await queue.acknowledge(message);
      counts[outcome] += 1;
      log.info({ outcome, receiveCount: message.receiveCount }, 'order message handled');
      return true;
    } catch (error) {
      if (error instanceof NotFound) {
        await deadLetter(message, error.message);
        return true;
      }
      const delay = backoffSeconds(message.receiveCount, maxBackoffSeconds);
      log.warn(
        { err: error, receiveCount: message.receiveCount, retryInSeconds: delay },
        'order message failed; will retry',
      );
      await queue
        .release(message, delay)
        .catch((releaseError) => log.warn({ err: releaseError }, 'release failed'));
      counts.retried += 1;
      return false;
    }
  };

  const handleGroup = async (messages: readonly ReceivedMessage[]) => {
    for (const [index, message] of messages.entries()) {
      if (await handle(message)) continue;
      for (const later of messages.slice(index + 1)) await queue.release(later, 1).catch(() => {});
      return;
    }
  };

  const loop = async () => {
    let pause = 0.1;
    while (!stopping) {
      // Receive a full batch's worth at a time: each receive costs a call (on SQS: signing, a
      // round trip, the server's work) however few it brings, so under load the loop waits for
      // room for a whole batch rather than fetching one message per finished one.
      const free = concurrency - inFlight.size;
      if (free < Math.min(RECEIVE_BATCH, concurrency) && inFlight.size > 0) {
        await Promise.race(inFlight);
        continue;
      }
      let messages: ReceivedMessage[];
      try {
        messages = await queue.receive({ maxMessages: Math.min(RECEIVE_BATCH, free), waitSeconds });
        pause = 0.1;
      } catch (error) {
        if (stopping) break;
        logger.warn({ err: error, retryInSeconds: pause }, 'receive failed');
        await new Promise((resolve) => setTimeout(resolve, pause * 1000));
        pause = Math.min(10, pause * 2);
        continue;
      }
      for (const group of byGroup(messages)) {
        const task: Promise<void> = handleGroup(group)
          .catch((error) => logger.error({ err: error }, 'message handling failed'))
          .finally(() => inFlight.delete(task));
        inFlight.add(task);
      }
    }
    await Promise.allSettled(inFlight);
  };

  logger.info({ concurrency }, 'processor started');
  const done = loop();
  return {
    stop: async () => {
      stopping = true;
      await done;
    },
    done,
    counts: () => ({ ...counts }),
  };
};
