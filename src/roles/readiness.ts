import type { Cache, Clock, DocumentStore, EventStore, Queue } from '../application/ports/index.js';
import { emailBacklog } from '../consumers/notifier/index.js';

export type Readiness = () => Promise<Record<string, 'ok' | 'down' | 'degraded'>>;

const probe = async (check: () => Promise<unknown>) => {
  try {
    await check();
    return 'ok' as const;
  } catch {
    return 'down' as const;
  }
};

/** Whether each dependency answers: a store or the queue down takes the process out; mail and cache only degrade it. */
export const createReadiness =
  (deps: {
    eventStore: EventStore;
    documents: DocumentStore;
    queue: Queue;
    cache: Cache;
    clock: Clock;
  }): Readiness =>
  async () => ({
    eventStore: await probe(() => deps.eventStore.headPosition()),
    documents: await probe(() => deps.documents.ping()),
    queue: await probe(() => deps.queue.ping()),
    // Mail retries on its own, so a mail outage degrades rather than takes the service out.
    notifier: await emailBacklog(deps.documents, deps.clock).then(
      (backlog) => (backlog.oldestDueMs > 5 * 60_000 ? 'degraded' : 'ok'),
      () => 'degraded' as const,
    ),
    cache: (await probe(() => deps.cache.ping())) === 'ok' ? 'ok' : 'degraded',
  });
