import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import express from 'express';
import { Redis } from 'ioredis';
import { orderCacheKey } from '../src/projections/index.js';
import { redisService, stopServices } from '../test/support/services.js';
import { compare, report } from './lib.js';
import type { BenchResult } from './lib.js';
import { alternate, cli, freePort, load, startChild, waitUntilReady } from './support/processes.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = 3;
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
    process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
  });
  process.on('SIGTERM', () => server.close(() => void redis.quit().then(() => process.exit(0))));
};

const json = async (response: Response) => {
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { token: string; product: { _id: string }; order: { _id: string } };
};

/**
 * GET /api/orders/:id served from Redis by the whole service (token check, role, validation,
 * cache lookup, ownership, ETag), beside a bare express + ioredis handler returning the same
 * cached document, both at 50 connections in their own process. Target: at least 0.7×.
 */
export const run = async (): Promise<BenchResult[]> => {
  const redis = await redisService();
  if (!redis) throw new Error('no Redis (REDIS_URL, Docker or a redis-server binary)');
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-cached-read-'));
  const env = { DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_LEVEL: 'warn', CACHE: 'redis', REDIS_URL: redis.url, REDIS_KEY_PREFIX: PREFIX };
  const stops: Array<() => Promise<void>> = [];
  try {
    await cli(env, 'users', 'create', '--email', 'bench-admin@example.com', '--password', 'bench admin password', '--role', 'admin');
    await cli(env, 'users', 'create', '--email', 'bench-customer@example.com', '--password', 'bench customer password', '--role', 'customer');
    const port = await freePort();
    // The roles a read touches (the API, and the projector that keeps the cache); the order pipeline would only idle-poll beside them.
    // Built JavaScript, as `npm start` runs it (`npm run bench` builds first).
    const service = await startChild('dist/main.js', ['serve', '--role', 'api', 'projector'], { ...env, PORT: String(port) }, undefined, { profiled: true });
    stops.push(service.stop);
    const url = `http://127.0.0.1:${port}`;
    await waitUntilReady(url);
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    const admin = (await json(await post('/api/auth/login', { email: 'bench-admin@example.com', password: 'bench admin password' }))).token;
    const customer = (await json(await post('/api/auth/login', { email: 'bench-customer@example.com', password: 'bench customer password' }))).token;
    const product = (await json(await post('/api/products', { name: 'Bench widget', price: 9.99, stock: 1000 }, admin))).product._id;
    const placed = await post('/api/orders', { items: [{ productId: product, quantity: 2 }] }, customer);
    const orderId = (await json(placed)).order._id;
    await json(await fetch(`${url}/api/orders/${orderId}`, { headers: { authorization: `Bearer ${customer}`, 'x-min-position': placed.headers.get('x-event-position')! } }));
    const baselineServer = await startChild(import.meta.filename, [], { CACHED_READ_BASELINE: redis.url }, /"port"/);
    stops.push(baselineServer.stop);
    const baselineUrl = `http://127.0.0.1:${(JSON.parse(baselineServer.line) as { port: number }).port}/api/orders/${orderId}`;

    const get = (name: string, target: string, pid: number | undefined, headers: Record<string, string> = {}) => () =>
      load(name, { url: target, method: 'GET', headers, connections: CONNECTIONS, seconds: SECONDS, ...(pid ? { pid } : {}) });
    const { subject, baseline, notes } = await alternate(
      ROUNDS,
      get('GET /api/orders/:id (service, cache hit in Redis)', `${url}/api/orders/${orderId}`, service.child.pid, { authorization: `Bearer ${customer}` }),
      get('bare express + ioredis GET handler', baselineUrl, baselineServer.child.pid),
    );
    return [compare('Cached order lookups at 50 connections', subject, baseline, 0.7, `${SECONDS} s rounds, ${notes}`)];
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
    await stopServices();
  }
};

if (process.env.CACHED_READ_BASELINE) await bareServer(process.env.CACHED_READ_BASELINE);
else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const result of await run()) console.log(report(result));
}
