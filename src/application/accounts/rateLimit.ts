import { TooManyRequests } from '../../domain/shared/index.js';
import type { Cache } from '../ports/index.js';
import type { WindowLimit } from './settings.js';

const message = 'Too many requests, try again later';

const secondsLeft = async (cache: Cache, key: string, windowSeconds: number) =>
  Math.max(1, (await cache.ttl(key)) ?? windowSeconds);

/**
 * Counts this request under `key` and refuses it (TooManyRequests, with the seconds until the window
 * ends) once more than `limit` have arrived in a fixed window started by the first.
 */
export const rateLimit = async (
  cache: Cache,
  key: string,
  limit: number,
  windowSeconds: number,
): Promise<void> => {
  const count = await cache.increment(key, windowSeconds);
  if (count > limit)
    throw new TooManyRequests(message, await secondsLeft(cache, key, windowSeconds));
};

/**
 * A limit on failures rather than requests: only `record()` counts, but once `limit` failures have
 * arrived `check()` refuses everything until the window ends. The refusal is a separate lock key,
 * so it needs nothing from the cache beyond its port (no reading counters back).
 */
export const failureLimit = (cache: Cache, key: string, { limit, windowSeconds }: WindowLimit) => {
  const lockKey = `${key}:locked`;
  return {
    async check(): Promise<void> {
      if ((await cache.get(lockKey)) === null) return;
      throw new TooManyRequests(message, await secondsLeft(cache, lockKey, windowSeconds));
    },
    /** Returns whether this failure locked the key. */
    async record(): Promise<boolean> {
      const count = await cache.increment(key, windowSeconds);
      if (count < limit) return false;
      await cache.set(lockKey, '1', await secondsLeft(cache, key, windowSeconds));
      return true;
    },
    async reset(): Promise<void> {
      await cache.delete(key);
    },
  };
};
