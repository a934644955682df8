import { pathToFileURL } from 'node:url';
import express from 'express';
import { Redis } from 'ioredis';
import { orderCacheKey } from '../src/projections/index.js';
import { redisService, stopServices } from '../test/support/services.js';
import { compare, report } from './lib.js';
import type { BenchResult } from './lib.js';
import { json, startBenchService } from './support/benchService.js';
import { alternate, load, startChild } from './support/processes.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = 5;
const CONNECTIONS = 50;
const PREFIX = 'bench-cached-read:';

/** The baseline, in a child process: express and ioredis, one GET that answers what Redis holds. */
const bareServer = async (url: string) => {
  const redis = new Redis(url, { keyPrefix: PREFIX });
  const app = express();
  app.get('/api/orders/:id', async (req, res) => {
    const value = await redis.get(orderCacheKey(req.params.id));
    if (value === null) return void res.status(404).end();
    res.type('application/json').send(value);
  });
  const server = app.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(
      `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`,
    );
  });
  process.on('SIGTERM', () => server.close(() => void redis.quit().then(() => process.exit(0))));
};

/**
 * GET /api/orders/:id served from Redis by the whole service (token check, role, validation,
 * cache lookup, ownership, ETag), beside a bare express + ioredis handler returning the same
 * cached document, both at 50 connections in their own process. Target: at least 0.7×.
 */
export const run = async (): Promise<BenchResult[]> => {
  const redis = await redisService();
  if (!redis) throw new Error('no Redis (REDIS_URL, Docker or a redis-server binary)');
  const stops: Array<() => Promise<void>> = [];
  try {
    // The roles a read touches (the API, and the projector that keeps the cache); the order pipeline would only idle-poll beside them.
    const { url, pid, customer, product, post } = await startBenchService({
      roles: ['api', 'projector'],
      env: { CACHE: 'redis', REDIS_URL: redis.url, REDIS_KEY_PREFIX: PREFIX },
      stock: 1000,
      stops,
    });
    const placed = await post(
      '/api/orders',
      { items: [{ productId: product, quantity: 2 }] },
      customer,
    );
    const orderId = (await json(placed)).order._id;
    await json(
      await fetch(`${url}/api/orders/${orderId}`, {
        headers: {
          authorization: `Bearer ${customer}`,
          'x-min-position': placed.headers.get('x-event-position')!,
        },
      }),
    );
    const baselineServer = await startChild(
      import.meta.filename,
      [],
      { CACHED_READ_BASELINE: redis.url },
      /"port"/,
    );
    stops.push(baselineServer.stop);
    const baselineUrl = `http://127.0.0.1:${(JSON.parse(baselineServer.line) as { port: number }).port}/api/orders/${orderId}`;

    const get =
      (
        name: string,
        target: string,
        pid: number | undefined,
        headers: Record<string, string> = {},
      ) =>
      () =>
        load(name, {
          url: target,
          method: 'GET',
          headers,
          connections: CONNECTIONS,
          seconds: SECONDS,
          ...(pid ? { pid } : {}),
        });
    const { subject, baseline, notes } = await alternate(
      ROUNDS,
      get(
        'GET /api/orders/:id (service, cache hit in Redis)',
        `${url}/api/orders/${orderId}`,
        pid,
        { authorization: `Bearer ${customer}` },
      ),
      get('bare express + ioredis GET handler', baselineUrl, baselineServer.child.pid),
    );
    return [
      compare(
        'Cached order lookups at 50 connections',
        subject,
        baseline,
        0.7,
        `${SECONDS} s rounds, ${notes}`,
      ),
    ];
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await stopServices();
  }
};

if (process.env.CACHED_READ_BASELINE) await bareServer(process.env.CACHED_READ_BASELINE);
else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const result of await run()) console.log(report(result));
}
