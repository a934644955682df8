import type {
  Clock,
  DocumentStore,
  EventStore,
  Logger,
  RecordedEvent,
} from '../../application/ports/index.js';
import type { OrderMailKind } from '../../application/notifications/index.js';
import {
  checkpointWrite,
  readCheckpoint,
  startBatchingSubscription,
} from '../../application/subscriptions/index.js';
import { describeFailure, orderEventTypes, toOrderStreamId } from '../../domain/orders/index.js';
import type { OrderEvent, OrderPlaced } from '../../domain/orders/index.js';
import { EMAIL_LEDGER, type EmailEntry } from './ledger.js';

const kindOf: Record<OrderEvent['type'], OrderMailKind> = {
  OrderPlaced: 'confirmation',
  OrderProcessed: 'processed',
  OrderFailed: 'failed',
  OrderCancelled: 'cancelled',
};

type Placed = OrderPlaced['data'];
type OrderRecorded = RecordedEvent & OrderEvent;

/** The order's facts come from its OrderPlaced: in this batch, or the first event of its stream. */
const placedOf = async (
  eventStore: EventStore,
  batch: readonly OrderRecorded[],
  orderId: string,
): Promise<Placed | null> => {
  const inBatch = batch.find(
    (event) => event.type === 'OrderPlaced' && event.data.orderId === orderId,
  );
  if (inBatch) return inBatch.data as Placed;
  const [first] = await eventStore.readStream(toOrderStreamId(orderId), { maxCount: 1 });
  return first?.type === 'OrderPlaced' ? (first.data as Placed) : null;
};

/** Why it failed or was cancelled, as the mail says it: the same sentence the API shows. */
const reasonOf = (event: OrderEvent): string | null =>
  event.type === 'OrderFailed'
    ? describeFailure(event.data)
    : event.type === 'OrderCancelled'
      ? event.data.reason
      : null;

export const toEntry = (
  event: OrderRecorded,
  placed: Placed | null,
  now: Date,
  staleAfterMs: number,
): EmailEntry => {
  const at = now.toISOString();
  const stale = staleAfterMs > 0 && now.getTime() - event.recordedAt.getTime() > staleAfterMs;
  const problem = !placed
    ? `order ${event.data.orderId} has no OrderPlaced event`
    : stale
      ? 'event too old to notify about'
      : null;
  return {
    _id: event.id,
    kind: kindOf[event.type],
    eventType: event.type,
    position: event.position,
    orderId: event.data.orderId,
    userId: placed?.userId ?? '',
    correlationId:
      typeof event.metadata.correlationId === 'string' ? event.metadata.correlationId : null,
    reason: reasonOf(event),
    items: placed?.items ?? [],
    totalAmount: placed?.totalAmount ?? 0,
    status: !placed ? 'failed' : stale ? 'skipped' : 'pending',
    attempts: 0,
    nextAttemptAt: at,
    leaseUntil: null,
    lastError: problem,
    messageId: null,
    inDoubt: 0,
    version: 0,
    createdAt: at,
    updatedAt: at,
    sentAt: null,
    failedAt: placed ? null : at,
  };
};

export type RecorderDeps = {
  name: string;
  eventStore: EventStore;
  documents: DocumentStore;
  clock: Clock;
  logger: Logger;
  batchSize: number;
  staleAfterMs: number;
  /** Told after each commit that added entries, so the sender need not wait for its poll. */
  onRecorded: () => void;
};

/**
 * The `notifier.email` subscription: each order status event becomes a ledger entry, written
 * with the checkpoint in one bulk write (atomic on SQLite). An entry is only written when absent,
 * so a replayed batch, a reset checkpoint or a second run from position 0 mails nobody twice.
 * Nothing is sent here: delivery is the sender's, so a slow or failing mail server never holds
 * up the subscription.
 */
export const startRecorder = async (deps: RecorderDeps) => {
  const { eventStore, documents, clock, logger } = deps;
  const ledger = documents.collection<EmailEntry>(EMAIL_LEDGER);
  const after = await readCheckpoint(documents, deps.name);
  logger.info({ from: after ?? 0 }, 'notifier subscription started');

  return startBatchingSubscription({
    eventStore,
    logger,
    after,
    types: orderEventTypes,
    batchSize: deps.batchSize,
    commit: async (events, position) => {
      const batch = events as readonly OrderRecorded[];
      const ids = batch.map((event) => event.id);
      const known = new Set(
        ids.length > 0 ? (await ledger.find({ _id: { $in: ids } })).map((entry) => entry._id) : [],
      );
      const now = clock.now();
      const fresh = batch.filter((event) => !known.has(event.id));
      const entries = await Promise.all(
        fresh.map(async (event) =>
          toEntry(
            event,
            await placedOf(eventStore, batch, event.data.orderId),
            now,
            deps.staleAfterMs,
          ),
        ),
      );
      await documents.bulkWrite([
        ...entries.map((entry) => ({ collection: EMAIL_LEDGER, put: entry })),
        checkpointWrite(deps.name, position, now),
      ]);
      for (const entry of entries) {
        if (entry.status !== 'pending')
          logger.warn(
            {
              eventId: entry._id,
              orderId: entry.orderId,
              correlationId: entry.correlationId,
              status: entry.status,
              reason: entry.lastError,
            },
            'email not queued',
          );
      }
      if (entries.length > 0) deps.onRecorded();
    },
  });
};
