import { Redis } from 'ioredis';
import { backoff } from '../../application/backoff.js';
import type { Cache } from '../../application/ports/index.js';
import { secondsLeft, ttlMs } from './ttl.js';

export type RedisCacheOptions = {
  url: string;
  /** Prepended to every key (ioredis applies it to script keys too), so services can share a server. */
  keyPrefix?: string;
  /** Bounds every call, including the wait for the first connection. */
  commandTimeoutMs?: number;
  /** Connection errors; ioredis would otherwise print each one as unhandled. */
  onError?: (error: Error) => void;
};

export class CacheUnavailable extends Error {
  constructor(reason: string) {
    super(`cache unavailable: ${reason}`);
    this.name = 'CacheUnavailable';
  }
}

/**
 * INCR, and PEXPIRE only when the key has no TTL yet (a fresh window, or a key set without one),
 * in one script so no crash between the two can leave a counter that never expires.
 * EXPIRE NX would need Redis 7; a script works on any server.
 */
const incrementInWindow = `
local count = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count`;

/**
 * Redis behind the Cache port, tuned for a service that must keep answering while Redis is down:
 * callers (cached reads, rate limits) get a rejection at once and fall back, instead of waiting.
 * - No offline queue: while disconnected a call fails now; queued commands would also run late,
 *   after the caller gave up (a counted hit or an idempotency key it never saw).
 * - No resend of commands in flight at a disconnect, for the same reason.
 * - Only before the first connection does a call wait, at most commandTimeoutMs, so start-up and
 *   the first requests do not fail while the socket is still opening.
 * - Reconnects forever with capped backoff, so the cache comes back by itself.
 */
export function createRedisCache({
  url,
  keyPrefix,
  commandTimeoutMs = 1000,
  onError,
}: RedisCacheOptions): Cache {
  const redis = new Redis(url, {
    ...(keyPrefix && { keyPrefix }),
    lazyConnect: false,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 1,
    commandTimeout: commandTimeoutMs,
    connectTimeout: commandTimeoutMs,
    retryStrategy: (attempt) => backoff(attempt, { base: 50, max: 2000 }),
    enableAutoPipelining: true,
  });
  redis.on('error', onError ?? (() => {}));
  let connectedOnce = false;
  redis.on('ready', () => (connectedOnce = true));

  const ready = async (): Promise<void> => {
    if (redis.status === 'ready') return;
    if (redis.status === 'end' || connectedOnce)
      throw new CacheUnavailable(`redis is ${redis.status}`);
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        redis.off('ready', done);
        resolve();
      };
      const timer = setTimeout(() => {
        redis.off('ready', done);
        reject(new CacheUnavailable(`redis not connected within ${commandTimeoutMs} ms`));
      }, commandTimeoutMs);
      redis.once('ready', done);
    });
  };

  return {
    async get(key) {
      await ready();
      return redis.get(key);
    },
    async set(key, value, ttlSeconds) {
      const ttl = ttlSeconds === undefined ? undefined : ttlMs(ttlSeconds);
      await ready();
      await (ttl === undefined ? redis.set(key, value) : redis.set(key, value, 'PX', ttl));
    },
    async setIfAbsent(key, value, ttlSeconds) {
      const ttl = ttlSeconds === undefined ? undefined : ttlMs(ttlSeconds);
      await ready();
      const reply =
        ttl === undefined
          ? await redis.set(key, value, 'NX')
          : await redis.set(key, value, 'PX', ttl, 'NX');
      return reply === 'OK';
    },
    async delete(key) {
      await ready();
      await redis.del(key);
    },
    async increment(key, ttlSeconds) {
      const ttl = ttlMs(ttlSeconds);
      await ready();
      return Number(await redis.eval(incrementInWindow, 1, key, ttl));
    },
    async ttl(key) {
      await ready();
      const ms = await redis.pttl(key);
      return ms < 0 ? null : secondsLeft(ms);
    },
    async ping() {
      await ready();
      await redis.ping();
    },
    async close() {
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
