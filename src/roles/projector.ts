import type { Clock, DocumentStore, EventStore, Logger } from '../application/ports/index.js';
import { startProjection } from '../projections/index.js';
import type { Projection, RunningProjection } from '../projections/index.js';

export type ProjectorDeps = {
  eventStore: EventStore;
  documents: DocumentStore;
  clock: Clock;
  logger: Logger;
  projections: readonly Projection[];
  batchSize: number;
  onCommitted?: (projection: Projection, ids: readonly string[]) => Promise<void>;
};

/**
 * Runs every projection; one that fails is restarted from its checkpoint with a growing pause,
 * so a database hiccup costs a delay, not a stale read model.
 */
export const startProjector = async (deps: ProjectorDeps) => {
  const running = new Map<string, RunningProjection>();
  let stopping = false;

  const run = async (projection: Projection, attempt = 0): Promise<void> => {
    const logger = deps.logger.child({ subscription: projection.name });
    const started = await startProjection({
      projection,
      eventStore: deps.eventStore,
      documents: deps.documents,
      clock: deps.clock,
      logger: deps.logger,
      batchSize: deps.batchSize,
      ...(deps.onCommitted ? { onCommitted: (ids) => deps.onCommitted!(projection, ids) } : {}),
    });
    running.set(projection.name, started);
    started.done.catch((error) => {
      if (stopping) return;
      const delayMs = Math.min(30_000, 250 * 2 ** attempt);
      logger.error({ err: error, delayMs }, 'projection failed; restarting from its checkpoint');
      setTimeout(() => void run(projection, attempt + 1).catch((e) => logger.error({ err: e }, 'restart failed')), delayMs);
    });
  };

  await Promise.all(deps.projections.map((projection) => run(projection)));
  return {
    running,
    caughtUp: () => Promise.all([...running.values()].map((projection) => projection.caughtUp)),
    stop: async () => {
      stopping = true;
      await Promise.all([...running.values()].map((projection) => projection.stop()));
    },
  };
};
