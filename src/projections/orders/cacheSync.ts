import type { Cache, Clock, DocumentStore, Logger } from '../../application/ports/index.js';
import { readCheckpoint, saveCheckpoint } from '../../application/subscriptions/index.js';
import {
  encodeOrderEntry,
  ORDER_CACHE_TTL_SECONDS,
  orderCacheKey,
  TOMBSTONE,
  TOMBSTONE_TTL_SECONDS,
} from './cache.js';
import { ordersReadModel } from './projection.js';
import type { OrderDocument } from './projection.js';
import type { ProjectedDoc } from '../engine/projection.js';
import type { AroundCommit } from '../engine/runner.js';

export type CacheSyncOptions = {
  cache: Cache;
  documents: DocumentStore;
  /** The read model the cache sits in front of (its documents need an index on `_position`). */
  collection: string;
  key: (id: string) => string;
  /** A document of the read model as the cache holds it. */
  encode: (doc: ProjectedDoc) => string;
  /** Checkpoint of the cache: every change at or before it is in the cache (or marked changing). */
  name: string;
  /** Where to start when the cache has no checkpoint yet: the projection's own checkpoint. */
  projectionName: string;
  clock: Clock;
  logger: Logger;
  retryMs?: number;
  ttlSeconds?: number;
};

const CHUNK = 100;
const PAGE = 200;
const SAVE_EVERY_MS = 1000;

/**
 * Keeps a cache in front of a read model from ever being older than it, for the projector.
 *
 * Around each commit: mark the documents about to change (a short-lived tombstone), commit, then
 * write the new documents through. Readers fill a miss only with setIfAbsent and never fill over a
 * tombstone, so a reader that read the old document before the commit cannot put it back after:
 * the key holds the tombstone or the new document from before the commit until the TTL.
 *
 * While the cache fails, commits go on without it (the read model must not stall), and the cache's
 * checkpoint stays where it was. Recovery walks the read model from that checkpoint (`_position`)
 * and writes every document changed since, before the cache is trusted again; the checkpoint is
 * stored, so a projector that dies during an outage does the same when it starts.
 */
export const createCacheSync = async (options: CacheSyncOptions) => {
  const {
    cache,
    documents,
    key,
    encode,
    name,
    clock,
    logger,
    retryMs = 500,
    ttlSeconds = ORDER_CACHE_TTL_SECONDS,
  } = options;
  const collection = documents.collection<ProjectedDoc>(options.collection);
  let acked =
    (await readCheckpoint(documents, name)) ??
    (await readCheckpoint(documents, options.projectionName)) ??
    0;
  let saved = { position: acked, at: 0 };
  let healthy = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let lock: Promise<unknown> = Promise.resolve();

  // Recovery and commits take turns: a recovery reading the read model while a commit changes it
  // could write an older document over the commit's.
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = lock.then(task);
    lock = run.catch(() => {});
    return run;
  };

  const setAll = async (entries: ReadonlyArray<readonly [string, string, number]>) => {
    for (let i = 0; i < entries.length; i += CHUNK) {
      await Promise.all(
        entries.slice(i, i + CHUNK).map(([k, value, ttl]) => cache.set(k, value, ttl)),
      );
    }
  };

  const save = async (force: boolean) => {
    const now = clock.now();
    if (acked === saved.position || (!force && now.getTime() - saved.at < SAVE_EVERY_MS)) return;
    await saveCheckpoint(documents, name, acked, now).catch((error) =>
      logger.warn({ err: error }, 'saving the cache checkpoint failed'),
    );
    saved = { position: acked, at: now.getTime() };
  };

  const schedule = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void recover();
    }, retryMs);
  };

  const broken = (error: unknown) => {
    if (healthy)
      logger.warn(
        { err: error, checkpoint: acked },
        'cache write failed; reads bypass stale entries once it is back',
      );
    healthy = false;
    schedule();
  };

  const drain = async () => {
    let after: { value: number; id: string } | undefined;
    let newest = acked;
    for (;;) {
      const page = await collection.find(
        { _position: { $gt: acked } },
        {
          sort: { field: '_position', direction: 'asc' },
          limit: PAGE,
          ...(after ? { after } : {}),
        },
      );
      await setAll(page.map((doc) => [key(doc._id), encode(doc), ttlSeconds] as const));
      const last = page.at(-1);
      if (last) newest = Math.max(newest, last._position);
      if (!last || page.length < PAGE) break;
      after = { value: last._position, id: last._id };
    }
    return newest;
  };

  const recover = async () => {
    if (stopped || healthy) return;
    try {
      // Outside the turn-taking: a cache that hangs must not hold commits up for its timeout.
      await cache.ping();
    } catch {
      return schedule();
    }
    await serial(async () => {
      if (stopped || healthy) return;
      try {
        acked = await drain();
        healthy = true;
        logger.info({ checkpoint: acked }, 'cache in step with the read model');
        await save(true);
      } catch (error) {
        broken(error);
      }
    });
  };

  const aroundCommit: AroundCommit = (changed, position, write) =>
    serial(async () => {
      if (healthy && changed.length > 0) {
        await setAll(
          changed.map((doc) => [key(doc._id), TOMBSTONE, TOMBSTONE_TTL_SECONDS] as const),
        ).catch(broken);
      }
      await write();
      if (!healthy) return;
      try {
        await setAll(changed.map((doc) => [key(doc._id), encode(doc), ttlSeconds] as const));
        acked = Math.max(acked, position);
        await save(false);
      } catch (error) {
        broken(error);
      }
    });

  void recover();
  return {
    aroundCommit,
    /** Whether every committed change is in the cache; a reader in this process may rely on it. */
    healthy: () => healthy,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await serial(() => save(true));
    },
  };
};

export type CacheSync = Awaited<ReturnType<typeof createCacheSync>>;

/** The cache in front of the orders read model, as the projector keeps it. */
export const createOrderCacheSync = (
  options: Pick<
    CacheSyncOptions,
    'cache' | 'documents' | 'name' | 'projectionName' | 'clock' | 'logger'
  >,
) =>
  createCacheSync({
    ...options,
    collection: ordersReadModel.collection,
    key: orderCacheKey,
    encode: (doc) => encodeOrderEntry(doc as OrderDocument),
  });
