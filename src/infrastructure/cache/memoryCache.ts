import { LRUCache } from 'lru-cache';
import type { Cache } from '../../application/ports/index.js';
import { secondsLeft, ttlMs } from './ttl.js';

export type MemoryCacheOptions = {
  /** Least recently used entries are evicted beyond this; an evicted counter restarts its window. */
  maxEntries?: number;
};

export class NotAnInteger extends Error {
  constructor(readonly key: string) {
    super(`value of ${key} is not an integer`);
    this.name = 'NotAnInteger';
  }
}

/**
 * The embedded cache: one process, so every check-then-set below runs without an await in between
 * and is atomic without locks.
 */
export function createMemoryCache({ maxEntries = 100_000 }: MemoryCacheOptions = {}): Cache {
  const entries = new LRUCache<string, string>({ max: maxEntries });
  const options = (ttlSeconds?: number) =>
    ttlSeconds === undefined ? {} : { ttl: ttlMs(ttlSeconds) };

  return {
    async get(key) {
      return entries.get(key) ?? null;
    },
    async set(key, value, ttlSeconds) {
      entries.set(key, value, options(ttlSeconds));
    },
    async setIfAbsent(key, value, ttlSeconds) {
      const ttl = options(ttlSeconds);
      if (entries.has(key)) return false;
      entries.set(key, value, ttl);
      return true;
    },
    async delete(key) {
      entries.delete(key);
    },
    async increment(key, ttlSeconds) {
      const ttl = ttlMs(ttlSeconds);
      const current = entries.get(key);
      if (current !== undefined && !/^-?\d+$/.test(current)) throw new NotAnInteger(key);
      const count = Number(current ?? 0) + 1;
      // Like Redis's EXPIRE NX: a key that already has a TTL keeps it, so the window does not slide.
      const hasTtl = current !== undefined && entries.getRemainingTTL(key) !== Infinity;
      entries.set(key, String(count), hasTtl ? { noUpdateTTL: true } : { ttl });
      return count;
    },
    async ttl(key) {
      if (!entries.has(key)) return null;
      const ms = entries.getRemainingTTL(key);
      return ms === Infinity ? null : secondsLeft(ms);
    },
    async ping() {},
    async close() {
      entries.clear();
    },
  };
}
