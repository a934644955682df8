import type { Clock, DocumentStore, EventStore, Logger } from '../../application/ports/index.js';
import { NotFound } from '../../domain/shared/index.js';
import type { Projection } from './projection.js';
import { startRebuild } from './rebuild.js';
import type { RebuildOptions, RunningRebuild } from './rebuild.js';
import { projectionStatus } from './status.js';

export type ProjectionAdminDeps = {
  eventStore: EventStore;
  documents: DocumentStore;
  clock: Clock;
  logger: Logger;
  projections: readonly Projection[];
  rebuildOptions?: Partial<
    Pick<RebuildOptions, 'leaseMs' | 'pollMs' | 'swapTimeoutMs' | 'pageSize' | 'maxBufferedDocs'>
  >;
};

/** The full name, its last part (`orders`) and the collection name all name the same projection. */
export const findProjection = (projections: readonly Projection[], name: string): Projection => {
  const found = projections.find(
    (p) => p.name === name || p.collection === name || p.name.endsWith(`.${name}`),
  );
  if (!found) throw new NotFound(`no projection named ${name}`);
  return found;
};

/**
 * What operators do with projections, for the admin API: status, and rebuilds started in this
 * process and left running in the background. Stopping aborts them (the live model stays).
 */
export const createProjectionAdmin = (deps: ProjectionAdminDeps) => {
  const running = new Set<RunningRebuild>();
  return {
    status: () => projectionStatus(deps),
    rebuild: async (name: string) => {
      const projection = findProjection(deps.projections, name);
      const rebuild = await startRebuild({ ...deps, ...deps.rebuildOptions, projection });
      running.add(rebuild);
      rebuild.done.then(
        () => running.delete(rebuild),
        () => running.delete(rebuild),
      );
      return { id: rebuild.id, projection: projection.name, done: rebuild.done };
    },
    stop: async () => {
      await Promise.all([...running].map((rebuild) => rebuild.abort()));
    },
  };
};

export type ProjectionAdmin = ReturnType<typeof createProjectionAdmin>;
