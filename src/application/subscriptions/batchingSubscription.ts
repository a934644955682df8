import type { EventStore, Logger, RecordedEvent } from '../ports/index.js';

export type BatchingSubscriptionOptions = {
  eventStore: EventStore;
  logger: Logger;
  /** Exclusive: start after this position (the stored checkpoint). */
  after: number | undefined;
  types?: readonly string[];
  batchSize: number;
  /** Longest an event waits in a partial batch before it is committed. */
  lingerMs?: number;
  /**
   * Handles a batch and records progress up to `position` (≥ the last event's, since `head` may
   * cover filtered-out events). Must be idempotent: after a crash the same batch comes again.
   */
  commit: (events: readonly RecordedEvent[], position: number) => Promise<void>;
};

export type BatchingSubscription = {
  stop(): Promise<void>;
  /** Settles when the subscription ends; rejects when a commit or the store failed. */
  done: Promise<void>;
  /** Resolves the first time everything up to the log head is committed. */
  caughtUp: Promise<void>;
  /** Position committed so far. */
  position(): number | undefined;
  /** Newest log position seen (head at last catch-up, or the last event received). */
  seen(): number | undefined;
};

/**
 * A named consumer of the log, Kafka-style: events arrive in position order, are committed in
 * batches (full, or after `lingerMs`, or on reaching the head), one commit at a time. A failed
 * commit stops the subscription: continuing would commit a later position past the lost batch.
 */
export const startBatchingSubscription = (
  options: BatchingSubscriptionOptions,
): BatchingSubscription => {
  const { eventStore, logger, batchSize, commit, lingerMs = 5 } = options;
  let committed = options.after;
  let seen = options.after;
  let buffer: RecordedEvent[] = [];
  let chain: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let failure: unknown;
  let markCaughtUp: () => void = () => {};
  const caughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));

  const flush = (head?: number) => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const events = buffer;
    buffer = [];
    chain = chain.then(async () => {
      if (failure) throw failure;
      const position = Math.max(committed ?? 0, events.at(-1)?.position ?? 0, head ?? 0);
      if (events.length === 0 && position === committed) return;
      await commit(events, position);
      committed = position;
    });
    return chain;
  };

  const fail = (error: unknown) => {
    failure ??= error;
    logger.error({ err: error }, 'commit failed; stopping the subscription');
    void subscription.stop();
  };

  const subscription = eventStore.subscribe({
    ...(options.after === undefined ? {} : { after: options.after }),
    ...(options.types ? { types: options.types } : {}),
    onEvent: async (event) => {
      if (failure) throw failure;
      seen = event.position;
      buffer.push(event);
      if (buffer.length >= batchSize) await flush();
      else timer ??= setTimeout(() => void flush().catch(fail), lingerMs);
    },
    onCaughtUp: (head) => {
      if (head !== undefined) seen = Math.max(seen ?? 0, head);
      void flush(head).then(markCaughtUp, fail);
    },
  });

  return {
    stop: async () => {
      await subscription.stop();
      await flush();
    },
    done: subscription.done.then(async () => {
      await flush();
    }),
    caughtUp,
    position: () => committed,
    seen: () => seen,
  };
};
