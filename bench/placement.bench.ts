import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compare, report } from './lib.js';
import type { BenchResult } from './lib.js';
import { cli, freePort, load, startChild, waitUntilReady } from './support/processes.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
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
  const baselineServer = await startChild('bench/support/bareExpress.ts', [], {}, /"port"/);
  try {
    const body = JSON.stringify({ items: [{ productId: '6f1c3f0e-8f5b-4d8e-9a53-2f0c6b7d9e41', quantity: 1 }] });
    const baselinePort = (JSON.parse(baselineServer.line) as { port: number }).port;
    const baseline = await load('bare express JSON handler', {
      url: `http://127.0.0.1:${baselinePort}/api/orders`,
      method: 'POST',
      body,
      connections: CONNECTIONS,
      seconds: SECONDS,
    });
    await baselineServer.stop();

    await cli(env, 'users', 'create', '--email', 'bench-admin@example.com', '--password', 'bench admin password', '--role', 'admin');
    await cli(env, 'users', 'create', '--email', 'bench-customer@example.com', '--password', 'bench customer password', '--role', 'customer');
    const port = await freePort();
    const service = await startChild('dist/main.js', ['serve', ...(ROLES.length > 0 ? ['--role', ...ROLES] : [])], { ...env, PORT: String(port) }, undefined);
    try {
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
      const subject = await load(`POST /api/orders (${roles}, SQLite, synchronous=${process.env.SQLITE_SYNCHRONOUS ?? 'FULL'})`, {
        url: `${url}/api/orders`,
        method: 'POST',
        body: JSON.stringify({ items: [{ productId: added.product._id, quantity: 1 }] }),
        headers: { authorization: `Bearer ${customer}` },
        connections: CONNECTIONS,
        seconds: SECONDS,
      });
      return [compare('Order placement at 50 connections', subject, baseline, 0.5, `${SECONDS} s each, same run`)];
    } finally {
      await service.stop();
    }
  } finally {
    await baselineServer.stop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const result of await run()) console.log(report(result));
}
