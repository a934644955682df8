import { createHash } from 'node:crypto';
import type { Doc, DocumentStore } from '../../application/ports/index.js';

/** JSON with keys sorted at every level, so equal documents always give equal text. */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

/**
 * A digest of a collection's documents in `_id` order, read a page at a time: two read models are
 * byte-identical exactly when their hashes are equal, whichever store holds them.
 */
export const readModelHash = async (
  documents: DocumentStore,
  collection: string,
  pageSize = 1000,
) => {
  const hash = createHash('sha256');
  const docs = documents.collection<Doc>(collection);
  let after: { value: string; id: string } | undefined;
  let count = 0;
  for (;;) {
    const page = await docs.find(
      {},
      { sort: { field: '_id', direction: 'asc' }, limit: pageSize, ...(after ? { after } : {}) },
    );
    for (const doc of page) hash.update(`${canonicalJson(doc)}\n`);
    count += page.length;
    const last = page.at(-1);
    if (!last || page.length < pageSize) break;
    after = { value: last._id, id: last._id };
  }
  return { hash: hash.digest('hex'), count };
};
