import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { CacheUnavailable, createRedisCache } from '../../src/infrastructure/cache/index.js';
import { startLocalRedis } from '../support/localServers.js';
import { freePort } from '../support/processes.js';
import { requireService } from '../support/services.js';
import { cacheContract } from './cache.contract.js';

describe('Redis cache (REDIS_URL, a redis:7 container, or redis-server)', function () {
  let url = '';

  before(async function () {
    url = (await requireService(this, 'redis')).url;
  });

  cacheContract('Redis', async () => {
    // A prefix of its own, so a shared server keeps this run's keys apart.
    const cache = createRedisCache({
      url,
      keyPrefix: `contract:${randomBytes(6).toString('hex')}:`,
    });
    return { cache, cleanup: () => cache.close() };
  });
});

const rejectionOf = (call: Promise<unknown>) =>
  call.then(
    () => null,
    (error: unknown) => error,
  );

describe('Redis cache while Redis is unreachable', function () {
  it('rejects calls instead of waiting for a server that is not there', async () => {
    const cache = createRedisCache({
      url: `redis://127.0.0.1:${await freePort()}`,
      commandTimeoutMs: 200,
    });
    try {
      for (const call of [
        cache.get('k'),
        cache.set('k', 'v'),
        cache.increment('k', 1),
        cache.ping(),
      ]) {
        expect(await rejectionOf(call)).to.be.instanceOf(CacheUnavailable);
      }
    } finally {
      await cache.close();
    }
  });

  it('rejects calls once the server it was using goes away', async function () {
    // A server of its own to stop: the shared one serves other suites.
    const server = await startLocalRedis();
    if (typeof server === 'string') {
      (globalThis.__skippedSuites ??= []).push(`${this.test?.fullTitle()}: ${server}`);
      this.skip();
    }
    const cache = createRedisCache({ url: server.url });
    try {
      await cache.set('k', 'v');
      await server.stop();
      for (const call of [cache.get('k'), cache.setIfAbsent('k', 'v'), cache.ttl('k')]) {
        expect(await rejectionOf(call)).to.be.instanceOf(Error);
      }
    } finally {
      await cache.close();
      await server.stop();
    }
  });
});
