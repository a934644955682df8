import type { Cache, Clock, DocumentStore, EventStore, Logger } from '../application/ports/index.js';
import { createCacheSync, encodeOrderEntry, orderCacheKey, ordersProjection, startLiveProjection } from '../projections/index.js';
import type { CacheSync, LiveProjection, OrderDocument, Projection } from '../projections/index.js';

export type ProjectorDeps = {
  eventStore: EventStore;
  documents: DocumentStore;
  clock: Clock;
  logger: Logger;
  projections: readonly Projection[];
  batchSize: number;
  /** The cache in front of order lookups; absent when no reader shares it with this process. */
  cache?: Cache;
  /** How often each live runner looks for a rebuild asking to swap. */
  pollMs?: number;
};

/** Checkpoint of the order cache: every order change at or before it is in the cache. */
export const ORDER_CACHE_CHECKPOINT = 'cache.orders';

/**
 * Runs every projection as a live runner (restarted from its checkpoint after a failure, paused
 * while a rebuild swaps). The orders projection keeps the order cache in step with its commits.
 */
export const startProjector = async (deps: ProjectorDeps) => {
  const { eventStore, documents, clock, logger, batchSize } = deps;
  const orderCache: CacheSync | undefined = deps.cache
    ? await createCacheSync({
        cache: deps.cache,
        documents,
        collection: ordersProjection.collection,
        key: orderCacheKey,
        // The documents of the orders read model, which this cache fronts.
        encode: (doc) => encodeOrderEntry(doc as OrderDocument),
        name: ORDER_CACHE_CHECKPOINT,
        projectionName: ordersProjection.name,
        clock,
        logger: logger.child({ component: 'orderCache' }),
      })
    : undefined;
  const running = new Map<string, LiveProjection>();
  try {
    for (const projection of deps.projections) {
      const live = await startLiveProjection({
        projection,
        eventStore,
        documents,
        clock,
        logger,
        batchSize,
        ...(deps.pollMs === undefined ? {} : { pollMs: deps.pollMs }),
        ...(orderCache && projection.name === ordersProjection.name ? { aroundCommit: orderCache.aroundCommit } : {}),
      });
      running.set(projection.name, live);
    }
  } catch (error) {
    await Promise.all([...running.values()].map((live) => live.stop()));
    await orderCache?.stop();
    throw error;
  }

  return {
    running,
    caughtUp: () => Promise.all([...running.values()].map((live) => live.caughtUp)),
    /** Whether the order cache holds every committed change (a reader in this process may trust it). */
    cacheInStep: () => orderCache?.healthy() ?? false,
    stop: async () => {
      await Promise.all([...running.values()].map((live) => live.stop()));
      await orderCache?.stop();
    },
  };
};

export type Projector = Awaited<ReturnType<typeof startProjector>>;
