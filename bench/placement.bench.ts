import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compare, report } from './lib.js';
import type { BenchResult } from './lib.js';
import { alternate, cli, freePort, load, startChild, waitUntilReady } from './support/processes.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = 3;
const CONNECTIONS = 50;
/** `api` measures the API role alone; the default runs every role in the process, as `npm start` does. */
const ROLES = (process.env.BENCH_PLACEMENT_ROLES ?? '').split(',').filter(Boolean);

/**
 * Order placement (auth, validation, product reads, decide, append with expected revision) at 50
 * connections, beside a bare express JSON handler measured in the same run. Both servers run in
 * their own process; the load generator in this one. Target: at least half the baseline's rate.
 */
export const run = async (): Promise<BenchResult[]> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-placement-'));
  const env = { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  const stops: Array<() => Promise<void>> = [];
  try {
    const baselineServer = await startChild('bench/support/bareExpress.ts', [], {}, /"port"/);
    stops.push(baselineServer.stop);
    const baselinePort = (JSON.parse(baselineServer.line) as { port: number }).port;

    await cli(env, 'users', 'create', '--email', 'bench-admin@example.com', '--password', 'bench admin password', '--role', 'admin');
    await cli(env, 'users', 'create', '--email', 'bench-customer@example.com', '--password', 'bench customer password', '--role', 'customer');
    const port = await freePort();
    const service = await startChild('dist/main.js', ['serve', ...(ROLES.length > 0 ? ['--role', ...ROLES] : [])], { ...env, PORT: String(port) }, undefined, { profiled: true });
    stops.push(service.stop);
    const url = `http://127.0.0.1:${port}`;
    await waitUntilReady(url);
    const login = async (email: string, password: string) =>
      ((await (await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })).json()) as { token: string }).token;
    const admin = await login('bench-admin@example.com', 'bench admin password');
    const customer = await login('bench-customer@example.com', 'bench customer password');
    const added = (await (
      await fetch(`${url}/api/products`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ name: 'Bench widget', price: 9.99, stock: 1_000_000_000 }),
      })
    ).json()) as { product: { _id: string } };
    const roles = ROLES.length > 0 ? ROLES.join('+') : 'every role';
    const post = (name: string, target: string, body: string, pid: number | undefined, headers: Record<string, string> = {}) => () =>
      load(name, { url: target, method: 'POST', body, headers, connections: CONNECTIONS, seconds: SECONDS, ...(pid ? { pid } : {}) });
    const { subject, baseline, notes } = await alternate(
      ROUNDS,
      post(
        `POST /api/orders (${roles}, SQLite, synchronous=${process.env.SQLITE_SYNCHRONOUS ?? 'FULL'})`,
        `${url}/api/orders`,
        JSON.stringify({ items: [{ productId: added.product._id, quantity: 1 }] }),
        service.child.pid,
        { authorization: `Bearer ${customer}` },
      ),
      post(
        'bare express JSON handler',
        `http://127.0.0.1:${baselinePort}/api/orders`,
        JSON.stringify({ items: [{ productId: '6f1c3f0e-8f5b-4d8e-9a53-2f0c6b7d9e41', quantity: 1 }] }),
        baselineServer.child.pid,
      ),
    );
    return [compare('Order placement at 50 connections', subject, baseline, 0.5, `${SECONDS} s rounds, ${notes}`)];
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const result of await run()) console.log(report(result));
}
