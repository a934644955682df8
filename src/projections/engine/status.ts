import type { Clock, DocumentStore, EventStore } from '../../application/ports/index.js';
import { readCheckpoint } from '../../application/subscriptions/index.js';
import { isActiveRebuild, isLive, rebuildsOf, runnersOf } from './coordination.js';
import type { Projection } from './projection.js';

export type ProjectionState = 'running' | 'paused' | 'swapping' | 'stopped';

export type ProjectionStatus = {
  name: string;
  collection: string;
  checkpoint: number;
  head: number;
  /**
   * Log positions between the checkpoint and the newest event of the projection's types (events
   * of other types in between count too); 0 when caught up, whatever came after it.
   */
  lag: number;
  /** Of the live runner, wherever it runs: from its presence document. */
  state: ProjectionState;
  rebuild: null | {
    id: string;
    /** `expired`: it stopped without a word (killed); the live model was left as it was. */
    state: string;
    position: number;
    head: number;
    events: number;
    startedAt: string;
    heartbeatAt: string;
    finishedAt?: string;
    error?: string;
  };
};

export const projectionStatus = async ({
  eventStore,
  documents,
  projections,
  clock,
}: {
  eventStore: EventStore;
  documents: DocumentStore;
  projections: readonly Projection[];
  clock: Clock;
}): Promise<ProjectionStatus[]> => {
  const head = (await eventStore.headPosition()) ?? 0;
  const now = clock.now();
  return Promise.all(
    projections.map(async ({ name, collection, eventTypes }) => {
      const [checkpoint = 0, presence, lease, [newest] = []] = await Promise.all([
        readCheckpoint(documents, name),
        runnersOf(documents).get(name),
        rebuildsOf(documents).get(name),
        eventStore.readAll({ direction: 'backwards', maxCount: 1, types: eventTypes }),
      ]);
      const active = isActiveRebuild(lease, now);
      const state: ProjectionState =
        active && lease!.state === 'swapping'
          ? 'swapping'
          : isLive(presence, now)
            ? presence!.state
            : 'stopped';
      const rebuildState = !lease
        ? ''
        : active || !['running', 'swapping'].includes(lease.state)
          ? lease.state
          : 'expired';
      return {
        name,
        collection,
        checkpoint,
        head,
        lag: Math.max(0, (newest?.position ?? 0) - checkpoint),
        state,
        rebuild: lease
          ? {
              id: lease.rebuildId,
              state: rebuildState,
              position: lease.position,
              head: lease.head,
              events: lease.events,
              startedAt: lease.startedAt,
              heartbeatAt: lease.heartbeatAt,
              ...(lease.finishedAt ? { finishedAt: lease.finishedAt } : {}),
              ...(lease.error ? { error: lease.error } : {}),
            }
          : null,
      };
    }),
  );
};
