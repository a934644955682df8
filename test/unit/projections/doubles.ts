import type { Cache, DocumentStore } from '../../../src/application/ports/index.js';
import { CacheUnavailable } from '../../../src/infrastructure/cache/index.js';

/** A cache that fails every call while `down`, as the Redis adapter does while Redis is away. */
export const outageCache = (inner: Cache) => {
  const state = { down: false };
  const guard =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A) => {
      if (state.down) throw new CacheUnavailable('down for the test');
      return call(...args);
    };
  return Object.assign(state, {
    inner,
    get: guard(inner.get),
    set: guard(inner.set),
    setIfAbsent: guard(inner.setIfAbsent),
    delete: guard(inner.delete),
    increment: guard(inner.increment),
    ttl: guard(inner.ttl),
    ping: guard(inner.ping),
    close: inner.close,
  }) satisfies Cache & { down: boolean };
};

/**
 * Holds one call until opened: a document store whose first `collection(...).get` (or first
 * `bulkWrite`) reaches the gate and waits there, so a test can put other work in between.
 */
export const gate = () => {
  let reached!: () => void;
  let open!: () => void;
  const arrived = new Promise<void>((resolve) => (reached = resolve));
  const opened = new Promise<void>((resolve) => (open = resolve));
  let used = false;
  const hold = async <R>(result: R): Promise<R> => {
    if (used) return result;
    used = true;
    reached();
    await opened;
    return result;
  };
  return {
    reached: arrived,
    open: () => open(),
    documents: (store: DocumentStore, at: 'get' | 'bulkWrite' = 'get'): DocumentStore =>
      ({
        ...store,
        collection: (name) => {
          const collection = store.collection(name);
          return at === 'get'
            ? { ...collection, get: async (id) => hold(await collection.get(id)) }
            : collection;
        },
        bulkWrite: async (ops) => {
          if (at === 'bulkWrite' && ops.some((op) => op.collection === 'orders'))
            await hold(undefined);
          return store.bulkWrite(ops);
        },
      }) as DocumentStore,
  };
};
