import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import express from 'express';
import { Redis } from 'ioredis';
import { orderCacheKey } from '../src/projections/index.js';
import { redisService, stopServices } from '../test/support/services.js';
import { compare, report } from './lib.js';
import type { BenchResult, Measurement } from './lib.js';
import { cli, cpuMsOf, freePort, startChild, waitUntilReady } from './support/processes.js';

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

/** autocannon GETs as a client sends them: no body, so no Content-Type (which would wake the JSON body parser). */
const loadGet = async (name: string, url: string, pid: number | undefined, headers: Record<string, string> = {}) => {
  const cpuBefore = cpuMsOf(pid);
  const result = await autocannon({ url, method: 'GET', connections: CONNECTIONS, duration: SECONDS, headers });
  const cpuAfter = cpuMsOf(pid);
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) throw new Error(`${name}: ${bad} of ${result.requests.total} requests failed`);
  const measurement: Measurement = { name, value: result.requests.average, unit: 'req/s', p50Ms: result.latency.p50, p99Ms: result.latency.p99 };
  // The server's own CPU per request: what the code costs, whatever else the machine is doing.
  const cpuUsPerRequest = cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) * 1000) / result.requests.total;
  return { measurement, cpuUsPerRequest };
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

    // Short rounds, alternating, medians: on a shared machine, load that comes and goes hits both alike.
    const subjects: Measurement[] = [];
    const baselines: Measurement[] = [];
    const cpu = { subject: [] as number[], baseline: [] as number[] };
    for (let round = 0; round < ROUNDS; round += 1) {
      const subject = await loadGet('GET /api/orders/:id (service, cache hit in Redis)', `${url}/api/orders/${orderId}`, service.child.pid, { authorization: `Bearer ${customer}` });
      const baseline = await loadGet('bare express + ioredis GET handler', baselineUrl, baselineServer.child.pid);
      subjects.push(subject.measurement);
      baselines.push(baseline.measurement);
      if (subject.cpuUsPerRequest !== undefined && baseline.cpuUsPerRequest !== undefined) {
        cpu.subject.push(subject.cpuUsPerRequest);
        cpu.baseline.push(baseline.cpuUsPerRequest);
      }
    }
    const median = (runs: Measurement[]) => [...runs].sort((a, b) => a.value - b.value)[Math.floor(runs.length / 2)]!;
    const rates = (runs: Measurement[]) => runs.map((m) => m.value.toFixed(0)).join(', ');
    const middle = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const cpuNote =
      cpu.subject.length === 0
        ? ''
        : `; server CPU per request (median): service ${middle(cpu.subject).toFixed(0)} µs, baseline ${middle(cpu.baseline).toFixed(0)} µs (baseline ÷ service ${(middle(cpu.baseline) / middle(cpu.subject)).toFixed(2)})`;
    return [
      compare('Cached order lookups at 50 connections', median(subjects), median(baselines), 0.7, `median of ${ROUNDS} alternating ${SECONDS} s rounds; service ${rates(subjects)} req/s, baseline ${rates(baselines)} req/s${cpuNote}`),
    ];
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
