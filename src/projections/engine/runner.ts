import type {
  Clock,
  DocumentStore,
  EventStore,
  Logger,
  WriteOp,
} from '../../application/ports/index.js';
import {
  checkpointWrite,
  readCheckpoint,
  startBatchingSubscription,
} from '../../application/subscriptions/index.js';
import { applyEvents, storeBatchDocuments } from './apply.js';
import type { ProjectedDoc, Projection } from './projection.js';

/**
 * Wraps each batch's commit: `write` stores the documents and the checkpoint. A cache in front
 * of the read model marks the documents before and refreshes them after (see cacheSync.ts).
 */
export type AroundCommit = (
  changed: readonly ProjectedDoc[],
  position: number,
  write: () => Promise<void>,
) => Promise<void>;

export type ProjectionRunnerOptions = {
  projection: Projection;
  eventStore: EventStore;
  documents: DocumentStore;
  clock: Clock;
  logger: Logger;
  /** Collection to write (a shadow copy during a rebuild); defaults to the projection's own. */
  collection?: string;
  /** Checkpoint key; defaults to the projection's name. */
  checkpointName?: string;
  batchSize?: number;
  /** Runs before each commit and may refuse it by throwing (a rebuild is about to swap). */
  beforeCommit?: () => Promise<void>;
  aroundCommit?: AroundCommit;
};

export type RunningProjection = {
  stop(): Promise<void>;
  /** Settles when the run ends: resolves on stop(), rejects when a commit or the store failed. */
  done: Promise<void>;
  caughtUp: Promise<void>;
  /** Position committed so far. */
  position(): number | undefined;
};

const plainCommit: AroundCommit = (_changed, _position, write) => write();

/**
 * Runs one projection as a named, checkpointed subscription. Each batch's documents are written
 * with the checkpoint in one bulk write (atomic on SQLite; in order elsewhere, checkpoint last).
 * A document only changes for an event newer than the `_position` it holds, so a batch replayed
 * after a crash, or half-written on a store without transactions, changes nothing twice.
 */
export const startProjection = async (
  options: ProjectionRunnerOptions,
): Promise<RunningProjection> => {
  const { projection, documents, clock, beforeCommit, aroundCommit = plainCommit } = options;
  const collectionName = options.collection ?? projection.collection;
  const name = options.checkpointName ?? projection.name;
  const logger = options.logger.child({ subscription: name });
  const collection = documents.collection<ProjectedDoc>(collectionName);
  for (const index of projection.indexes ?? []) await collection.ensureIndex(index.fields, index);
  const after = await readCheckpoint(documents, name);

  const subscription = startBatchingSubscription({
    eventStore: options.eventStore,
    logger,
    after,
    types: projection.eventTypes,
    batchSize: options.batchSize ?? 500,
    commit: async (events, position) => {
      await beforeCommit?.();
      const docs = storeBatchDocuments(collection);
      await applyEvents(projection, events, docs);
      const changed = docs.changed();
      const writes: WriteOp[] = changed.map((doc) => ({ collection: collectionName, put: doc }));
      await aroundCommit(changed, position, () =>
        documents.bulkWrite([...writes, checkpointWrite(name, position, clock.now())]),
      );
    },
  });
  logger.info({ from: after ?? 0 }, 'projection started');
  return subscription;
};
