import { LRUCache } from 'lru-cache';
import type { EventStore, RecordedEvent } from '../../application/ports/index.js';
import type { ProjectedDoc } from './projection.js';

type Entry<D> = { doc: D | null; revision: number };

/**
 * Reads one entity's document straight from its stream: always as fresh as the log. Recently read
 * documents are kept with their revision, so a hot stream is folded from where it was, not from zero.
 */
export const createStreamDocumentReader = <D extends ProjectedDoc>(
  eventStore: EventStore,
  evolve: (doc: D | null, event: RecordedEvent) => D | null,
  maxEntries = 10_000,
) => {
  const cache = new LRUCache<string, Entry<D>>({ max: maxEntries });
  return async (streamId: string): Promise<D | null> => {
    const cached = cache.get(streamId) ?? { doc: null, revision: -1 };
    const newer = await eventStore.readStream(streamId, { fromRevision: cached.revision + 1 });
    if (newer.length === 0) return cached.doc;
    const entry = { doc: newer.reduce(evolve, cached.doc), revision: newer.at(-1)!.revision };
    cache.set(streamId, entry);
    return entry.doc;
  };
};
