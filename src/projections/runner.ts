import type { DocumentStore, EventStore, Logger, RecordedEvent, WriteOp } from '../application/ports/index.js';
import type { Clock } from '../application/ports/index.js';
import { CHECKPOINTS, checkpointDoc, readCheckpoint } from './checkpoints.js';
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
  /** Settles when the subscription ends (rejects on failure). */
  done: Promise<void>;
  /** Resolves once everything up to the log head seen at some moment is committed. */
  caughtUp: Promise<number | undefined>;
  position(): number | undefined;
  eventsApplied(): number;
};

/**
 * Runs one projection as a named, checkpointed subscription. Events are applied in batches: the
 * documents a batch touches are read once, evolved in memory, and written together with the
 * checkpoint in one bulk write (atomic on SQLite). A document only changes for an event newer than
 * the `_position` it holds, so a batch replayed after a crash changes nothing it already changed.
 */
export const startProjection = async (options: ProjectionRunnerOptions): Promise<RunningProjection> => {
  const { projection, eventStore, documents, clock, onCommitted } = options;
  const collectionName = options.collection ?? projection.collection;
  const name = options.checkpointName ?? projection.name;
  const batchSize = options.batchSize ?? 500;
  const logger = options.logger.child({ subscription: name });
  const collection = documents.collection<ProjectedDoc>(collectionName);
  for (const index of projection.indexes ?? []) await collection.ensureIndex(index.fields, index);

  let committed = await readCheckpoint(documents, name);
  let applied = 0;
  let buffer: RecordedEvent[] = [];
  let chain: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let markCaughtUp: (position: number | undefined) => void = () => {};
  const caughtUp = new Promise<number | undefined>((resolve) => (markCaughtUp = resolve));

  const commit = async (events: RecordedEvent[], head: number | undefined) => {
    const ids = [...new Set(events.flatMap((event) => projection.documentIds(event)))];
    const current = new Map<string, ProjectedDoc | null>(ids.map((id) => [id, null]));
    if (ids.length > 0) for (const doc of await collection.find({ _id: { $in: ids } })) current.set(doc._id, doc);
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
    const last = events.at(-1)?.position;
    const position = Math.max(committed ?? 0, last ?? 0, head ?? 0);
    if (changed.size === 0 && position === committed) return;
    const writes: WriteOp[] = [...changed].map((id) => ({ collection: collectionName, put: current.get(id)! }));
    writes.push({ collection: CHECKPOINTS, put: checkpointDoc(name, position, clock.now()) });
    await documents.bulkWrite(writes);
    committed = position;
    applied += events.length;
    if (changed.size > 0) await onCommitted?.([...changed]);
  };

  // A failed commit must stop everything: a later commit would move the checkpoint past the lost batch.
  let failure: unknown;
  const fail = (error: unknown) => {
    failure ??= error;
    logger.error({ err: error }, 'commit failed; stopping');
    void subscription.stop();
  };

  /** Serialises commits; `head` marks that the log head was reached when the buffer was taken. */
  const flush = (head?: number) => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const events = buffer;
    buffer = [];
    chain = chain.then(() => {
      if (failure) throw failure;
      return commit(events, head);
    });
    return chain;
  };

  const subscription = eventStore.subscribe({
    ...(committed === undefined ? {} : { after: committed }),
    types: projection.eventTypes,
    onEvent: async (event) => {
      if (failure) throw failure;
      buffer.push(event);
      if (buffer.length >= batchSize) await flush();
      else timer ??= setTimeout(() => void flush().catch(fail), 5);
    },
    onCaughtUp: (head) => {
      void flush(head).then(() => markCaughtUp(committed), fail);
    },
  });

  const done = subscription.done.then(async () => {
    await flush();
  });

  logger.info({ from: committed ?? 0 }, 'projection started');
  return {
    stop: async () => {
      await subscription.stop();
      await flush();
    },
    done,
    caughtUp,
    position: () => committed,
    eventsApplied: () => applied,
  };
};
