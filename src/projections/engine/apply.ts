import { canHandle } from '../../application/ports/index.js';
import type { Collection, RecordedEvent } from '../../application/ports/index.js';
import type { ProjectedDoc, Projection } from './projection.js';

/** Where a batch finds the documents it evolves: the store (live runs) or a write-back buffer (bulk rebuilds). */
export type BatchDocuments = {
  /** Makes `get` answer for these ids. */
  load(ids: readonly string[]): Promise<void>;
  get(id: string): ProjectedDoc | null;
  set(id: string, doc: ProjectedDoc): void;
};

const unique = (ids: ReadonlyArray<string | undefined>) => [
  ...new Set(ids.filter((id): id is string => id !== undefined)),
];

/** Evolves one document by one event, unless it already reflects that event or a later one. */
const applyOne = (
  projection: Projection,
  docs: BatchDocuments,
  event: RecordedEvent,
  id: string,
  context: ProjectedDoc | null,
) => {
  const doc = docs.get(id);
  if (doc && doc._position >= event.position) return doc;
  const next = projection.evolve(doc, event, id, context);
  if (!next) return doc;
  const stored = { ...next, _position: event.position };
  docs.set(id, stored);
  return stored;
};

/**
 * Folds a batch, in log order, onto the documents it touches. Context documents go first, each
 * event's context is the helper as it stood right after that event (or newer, on a replay: what a
 * projection reads from its context must be a fact that never changes once set).
 */
export const applyEvents = async (
  projection: Projection,
  batch: readonly RecordedEvent[],
  docs: BatchDocuments,
) => {
  // The subscription reads only the projection's types; narrowing here is what lets evolve trust them.
  const events = batch.filter(canHandle(projection.eventTypes));
  const contexts: Array<ProjectedDoc | null> = events.map(() => null);
  if (projection.contextId) {
    const contextIds = events.map((event) => projection.contextId!(event));
    await docs.load(unique(contextIds));
    events.forEach((event, i) => {
      const id = contextIds[i];
      if (id !== undefined) contexts[i] = applyOne(projection, docs, event, id, null);
    });
  }
  const targets = events.map((event, i) => projection.documentIds(event, contexts[i]!));
  await docs.load(unique(targets.flat()));
  events.forEach((event, i) => {
    for (const id of targets[i]!) applyOne(projection, docs, event, id, contexts[i]!);
  });
};

/** The live runner's view: documents read once per batch with one query; what changed is written back. */
export const storeBatchDocuments = (collection: Collection<ProjectedDoc>) => {
  const current = new Map<string, ProjectedDoc | null>();
  const changed = new Set<string>();
  return {
    load: async (ids: readonly string[]) => {
      const missing = ids.filter((id) => !current.has(id));
      if (missing.length === 0) return;
      for (const id of missing) current.set(id, null);
      for (const doc of await collection.find({ _id: { $in: missing } })) current.set(doc._id, doc);
    },
    get: (id: string) => current.get(id) ?? null,
    set: (id: string, doc: ProjectedDoc) => {
      current.set(id, doc);
      changed.add(id);
    },
    changed: () => [...changed].map((id) => current.get(id)!),
  } satisfies BatchDocuments & { changed(): ProjectedDoc[] };
};
