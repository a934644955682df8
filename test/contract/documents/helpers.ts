import { randomBytes } from 'node:crypto';
import type { Doc, DocumentStore } from '../../../src/application/ports/index.js';

export type OpenDocumentStore = () => Promise<{ store: DocumentStore; cleanup(): Promise<void> }>;
/** The store is opened in a `before` hook, so parts of the suite reach it through a getter. */
export type StoreRef = () => DocumentStore;

/**
 * What a server is known not to do, each with the reason printed beside the skipped test, so a gap
 * is visible in every run instead of a test that passes by luck.
 */
export type KnownGaps = { nonAtomicRename?: string; racyConditionalWrite?: string };

export function skipForGap(ctx: Mocha.Context, gap: string | undefined): void {
  if (!gap) return;
  (globalThis.__skippedSuites ??= []).push(`${ctx.test?.fullTitle()}: ${gap}`);
  ctx.skip();
}

/** Fresh per test: the store may be shared with other tests and runs. */
export const freshName = (prefix = 'contract') => `${prefix}_${randomBytes(6).toString('hex')}`;

export type Item = Doc & {
  kind?: string;
  n?: number | null;
  flag?: boolean;
  tag?: string | null;
  nested?: unknown;
  gen?: string;
  email?: string;
  tenant?: string;
  version?: number | null;
};

export const rejectionOf = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected a rejection');
};

export const ids = (docs: readonly Doc[]) => docs.map((doc) => doc._id);

export async function seeded(store: DocumentStore, docs: readonly Item[], name = freshName()) {
  const collection = store.collection<Item>(name);
  for (const doc of docs) await collection.put(doc);
  return collection;
}
