import type { Collection, DocumentStore, WriteOp } from '../../application/ports/index.js';
import type { BatchDocuments } from './apply.js';
import { createBloomFilter } from './bloom.js';
import type { ProjectedDoc } from './projection.js';

type Entry = { doc: ProjectedDoc | null; dirty: boolean; stored: boolean };

export type WriteBackOptions = {
  documents: DocumentStore;
  collection: string;
  /** Documents kept in memory; the least recently used beyond this are written out. */
  maxDocs: number;
  /** Documents per bulk write. */
  writeChunk?: number;
  /** Concurrent point reads of documents that may have been written out already. */
  readConcurrency?: number;
};

/**
 * A bounded write-back buffer over a shadow collection that only this rebuild writes: a document
 * stays in memory while events keep arriving for it and is written once, when it goes cold, with
 * an insert. Only a document evicted and then touched again is read back (a point read by _id)
 * and later replaced. Memory is bounded by maxDocs and the Bloom filter, not by the log's length.
 */
export const createWriteBackBuffer = ({
  documents,
  collection,
  maxDocs,
  writeChunk = 2000,
  readConcurrency = 32,
}: WriteBackOptions) => {
  const entries = new Map<string, Entry>();
  const written = createBloomFilter();
  const shadow: Collection<ProjectedDoc> = documents.collection<ProjectedDoc>(collection);
  let writes = 0;
  // One write may be in flight while the next page is read and folded: a networked store works
  // while this process does. Until it lands, its documents are found here rather than read back.
  let pending: Promise<void> = Promise.resolve();
  let inFlight = new Map<string, ProjectedDoc>();

  const touch = (id: string, entry: Entry) => {
    // A Map iterates in insertion order: re-inserting moves the entry to the young end.
    entries.delete(id);
    entries.set(id, entry);
  };

  const writeOut = async (evicted: Array<[string, Entry]>) => {
    const ops: WriteOp[] = [];
    for (const [id, { doc, dirty, stored }] of evicted) {
      if (!dirty || !doc) continue;
      ops.push(stored ? { collection, put: doc } : { collection, insert: doc });
      written.add(id);
    }
    // Inserts first (MongoDB drivers send a run of inserts as one command), in key order (B-tree
    // pages fill in sequence instead of at random).
    const idOf = (op: WriteOp) =>
      'put' in op ? op.put._id : 'insert' in op ? op.insert._id : op.delete;
    const sorted = ops.sort(
      (a, b) =>
        Number('put' in a) - Number('put' in b) ||
        (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0),
    );
    await pending;
    inFlight = new Map(
      evicted
        .filter(([, entry]) => entry.dirty && entry.doc)
        .map(([id, entry]) => [id, entry.doc!]),
    );
    const write = (async () => {
      for (let i = 0; i < sorted.length; i += writeChunk)
        await documents.bulkWrite(sorted.slice(i, i + writeChunk));
      writes += ops.length;
    })();
    pending = write;
    // Awaited by the next write or the flush; this only keeps an early failure from going unhandled.
    write.catch(() => {});
  };

  const view: BatchDocuments = {
    load: async (ids) => {
      const missing = ids.filter((id) => {
        const entry = entries.get(id);
        if (entry) touch(id, entry);
        const writing = entry ? undefined : inFlight.get(id);
        if (writing) entries.set(id, { doc: writing, dirty: false, stored: true });
        return !entry && !writing;
      });
      const maybeStored = missing.filter((id) => written.mightContain(id));
      for (const id of missing) entries.set(id, { doc: null, dirty: false, stored: false });
      for (let i = 0; i < maybeStored.length; i += readConcurrency) {
        const chunk = maybeStored.slice(i, i + readConcurrency);
        const docs = await Promise.all(chunk.map((id) => shadow.get(id)));
        chunk.forEach((id, k) => {
          const doc = docs[k] ?? null;
          entries.set(id, { doc, dirty: false, stored: doc !== null });
        });
      }
    },
    get: (id) => entries.get(id)?.doc ?? null,
    set: (id, doc) => {
      const entry = entries.get(id) ?? { doc: null, dirty: false, stored: false };
      entry.doc = doc;
      entry.dirty = true;
      touch(id, entry);
    },
  };

  return {
    view,
    /** Writes out the coldest documents beyond the bound, a whole write chunk at a time; call between batches. */
    evict: async () => {
      const overflow = entries.size - maxDocs;
      // Fewer, fuller writes: each one costs a round trip and, on FerretDB, a transaction.
      if (overflow < writeChunk) return;
      const evicted: Array<[string, Entry]> = [];
      for (const item of entries) {
        if (evicted.length >= overflow) break;
        evicted.push(item);
      }
      for (const [id] of evicted) entries.delete(id);
      await writeOut(evicted);
    },
    /** Writes out everything still in memory. */
    flush: async () => {
      const all = [...entries];
      entries.clear();
      await writeOut(all);
      await pending;
    },
    written: () => writes,
  };
};
