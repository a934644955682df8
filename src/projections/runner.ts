import type { Clock, DocumentStore, EventStore, Logger, RecordedEvent, WriteOp } from '../application/ports/index.js';
import { checkpointWrite, readCheckpoint, startBatchingSubscription } from '../application/subscriptions/index.js';
import type { ProjectedDoc, Projection } from './projection.js';

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
  /** Told which documents changed after each committed batch (cache eviction). */
  onCommitted?: (ids: readonly string[]) => Promise<void>;
};

export type RunningProjection = {
  stop(): Promise<void>;
  done: Promise<void>;
  caughtUp: Promise<void>;
  position(): number | undefined;
};

/** Applies a batch in memory: the documents it touches, read once, evolved by every newer event. */
const applyBatch = async (projection: Projection, collection: ReturnType<DocumentStore['collection']>, events: readonly RecordedEvent[]) => {
  const ids = [...new Set(events.flatMap((event) => projection.documentIds(event)))];
  const current = new Map<string, ProjectedDoc | null>(ids.map((id) => [id, null]));
  if (ids.length > 0) for (const doc of await collection.find({ _id: { $in: ids } })) current.set(doc._id, doc as ProjectedDoc);
  const changed = new Set<string>();
  for (const event of events) {
    for (const id of projection.documentIds(event)) {
      const doc = current.get(id) ?? null;
      if (doc && doc._position >= event.position) continue;
      const next = projection.evolve(doc, event, id);
      if (!next) continue;
      current.set(id, { ...next, _position: event.position });
      changed.add(id);
    }
  }
  return [...changed].map((id) => current.get(id)!);
};

/**
 * Runs one projection as a named, checkpointed subscription. Each batch's documents are written
 * with the checkpoint in one bulk write (atomic on SQLite). A document only changes for an event
 * newer than the `_position` it holds, so a batch replayed after a crash changes nothing twice.
 */
export const startProjection = async (options: ProjectionRunnerOptions): Promise<RunningProjection> => {
  const { projection, documents, clock, onCommitted } = options;
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
      const changed = await applyBatch(projection, collection, events);
      const writes: WriteOp[] = changed.map((doc) => ({ collection: collectionName, put: doc }));
      await documents.bulkWrite([...writes, checkpointWrite(name, position, clock.now())]);
      if (changed.length > 0) await onCommitted?.(changed.map((doc) => doc._id));
    },
  });
  logger.info({ from: after ?? 0 }, 'projection started');
  return subscription;
};
