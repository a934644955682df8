import type { Clock, DocumentStore, EventStore, Logger } from '../application/ports/index.js';
import { startLiveProjection } from '../projections/index.js';
import type { CacheSync, LiveProjection, Projection } from '../projections/index.js';
import { settledOnStop } from './running.js';
import type { RunningRole } from './running.js';

export type ProjectorDeps = {
  eventStore: EventStore;
  documents: DocumentStore;
  clock: Clock;
  logger: Logger;
  projections: readonly Projection[];
  batchSize: number;
  /** The order cache and the projection whose commits it follows; absent when no reader shares it. */
  orderCache?: { sync: CacheSync; projection: string };
  /** How often each live runner looks for a rebuild asking to swap. */
  pollMs?: number;
};

export type Projector = RunningRole & {
  running: ReadonlyMap<string, LiveProjection>;
  caughtUp(): Promise<void>;
};

/**
 * Runs every projection as a live runner (restarted from its checkpoint after a failure, paused
 * while a rebuild swaps). The orders projection keeps the order cache in step with its commits.
 */
export const startProjector = async (deps: ProjectorDeps): Promise<Projector> => {
  const { eventStore, documents, clock, logger, batchSize, orderCache } = deps;
  const running = new Map<string, LiveProjection>();
  const stopAll = () => Promise.all([...running.values()].map((live) => live.stop()));
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
        ...(orderCache?.projection === projection.name
          ? { aroundCommit: orderCache.sync.aroundCommit }
          : {}),
      });
      running.set(projection.name, live);
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  const stopped = settledOnStop();
  return {
    running,
    caughtUp: async () =>
      void (await Promise.all([...running.values()].map((live) => live.caughtUp))),
    done: stopped.done,
    stop: async () => {
      await stopAll();
      stopped.resolve();
    },
  };
};
