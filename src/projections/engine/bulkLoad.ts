import { readAllPages } from '../../application/ports/index.js';
import type { DocumentStore, EventStore } from '../../application/ports/index.js';
import { applyEvents } from './apply.js';
import type { Projection } from './projection.js';
import { createWriteBackBuffer } from './writeBack.js';

export type BulkLoadOptions = {
  projection: Projection;
  eventStore: EventStore;
  documents: DocumentStore;
  /** An empty collection that only this load writes. */
  collection: string;
  pageSize?: number;
  maxBufferedDocs?: number;
  /** Documents per bulk write, and the least written out at a time. */
  writeChunk?: number;
  /** After each page: the position reached and the events applied so far. Throwing stops the load. */
  onPage?: (progress: { position: number; events: number }) => void | Promise<void>;
};

/**
 * Folds the log from position 0 into an empty collection, page by page, through a write-back
 * buffer: most documents are written once, by insert, when they go cold. Nothing is checkpointed
 * on the way: an interrupted load is thrown away, and the next rebuild starts from 0 again.
 * Returns the position every event at or before which is folded in.
 */
export const bulkLoad = async ({
  projection,
  eventStore,
  documents,
  collection,
  pageSize = 2000,
  maxBufferedDocs = 20_000,
  writeChunk,
  onPage,
}: BulkLoadOptions) => {
  const buffer = createWriteBackBuffer({
    documents,
    collection,
    maxDocs: maxBufferedDocs,
    ...(writeChunk ? { writeChunk } : {}),
  });
  let position = 0;
  let events = 0;
  let head = 0;
  // The head is read before each page: once a page comes back short, everything up to it is in it.
  const pages = readAllPages(eventStore, {
    after: position,
    pageSize,
    types: projection.eventTypes,
    beforeRead: async () => void (head = (await eventStore.headPosition()) ?? 0),
  });
  for await (const page of pages) {
    await applyEvents(projection, page, buffer.view);
    await buffer.evict();
    events += page.length;
    position = Math.max(position, page.at(-1)?.position ?? 0);
    if (page.length < pageSize) position = Math.max(position, head);
    await onPage?.({ position, events });
  }
  await buffer.flush();
  for (const index of projection.indexes ?? [])
    await documents.collection(collection).ensureIndex(index.fields, index);
  return { position, events, written: buffer.written() };
};
