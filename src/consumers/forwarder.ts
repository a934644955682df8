import type {
  Clock,
  DocumentStore,
  EventStore,
  Logger,
  Queue,
} from '../application/ports/index.js';
import {
  readCheckpoint,
  saveCheckpoint,
  startBatchingSubscription,
} from '../application/subscriptions/index.js';
import type { BatchingSubscription } from '../application/subscriptions/index.js';
import { FORWARDED_EVENT_TYPES, isForwarded, toIntegrationMessage } from './integrationMessages.js';

export type ForwarderDeps = {
  /** Its name in the register of subscriptions: the checkpoint key and the log field. */
  name: string;
  eventStore: EventStore;
  documents: DocumentStore;
  queue: Queue;
  clock: Clock;
  logger: Logger;
  batchSize: number;
  /**
   * Longest an event waits for more to share its batch. Each batch costs the queue one durable
   * write (an fsync on SQLite) and the checkpoint one write, so a few milliseconds more here
   * buys much larger batches under load.
   */
  lingerMs?: number;
};

const DEFAULT_LINGER_MS = 25;

/**
 * The log is the outbox: order events are sent to the queue in batches (FIFO group = order id,
 * deduplication id = event id) and the checkpoint moves only after the queue has accepted them.
 * A crash between the two sends the batch again, which the queue's deduplication and the
 * processor's idempotency absorb.
 */
export const startForwarder = async (deps: ForwarderDeps): Promise<BatchingSubscription> => {
  const logger = deps.logger.child({ subscription: deps.name });
  const after = await readCheckpoint(deps.documents, deps.name);
  logger.info({ from: after ?? 0 }, 'forwarder started');
  return startBatchingSubscription({
    eventStore: deps.eventStore,
    logger,
    after,
    types: FORWARDED_EVENT_TYPES,
    batchSize: deps.batchSize,
    lingerMs: deps.lingerMs ?? DEFAULT_LINGER_MS,
    commit: async (events, position) => {
      const forwarded = events.filter(isForwarded);
      if (forwarded.length > 0) {
        await deps.queue.send(forwarded.map(toIntegrationMessage));
        logger.debug({ count: forwarded.length, position }, 'forwarded');
      }
      await saveCheckpoint(deps.documents, deps.name, position, deps.clock.now());
    },
  });
};
