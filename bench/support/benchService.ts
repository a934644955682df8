import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, freePort, startChild, waitUntilReady } from './processes.js';

const ADMIN = { email: 'bench-admin@example.com', password: 'bench admin password' };
const CUSTOMER = { email: 'bench-customer@example.com', password: 'bench customer password' };

export const json = async (response: Response) => {
  if (!response.ok)
    throw new Error(`${response.url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as {
    token: string;
    product: { _id: string };
    order: { _id: string };
  };
};

/**
 * The built service (`dist/main.js`, as `npm start` runs it; `npm run bench` builds first) with the
 * given roles on a fresh data directory, CPU-profiled under BENCH_CPU_PROF, with an admin, a
 * customer (both logged in) and one product of the given stock. `stops` gets what undoes it.
 */
export const startBenchService = async ({
  roles,
  env = {},
  stock,
  stops,
}: {
  roles: string[];
  env?: Record<string, string>;
  stock: number;
  stops: Array<() => Promise<void>>;
}) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-service-'));
  stops.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const serviceEnv = { DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env };
  for (const [user, role] of [
    [ADMIN, 'admin'],
    [CUSTOMER, 'customer'],
  ] as const) {
    await cli(
      serviceEnv,
      'users',
      'create',
      '--email',
      user.email,
      '--password',
      user.password,
      '--role',
      role,
    );
  }
  const port = await freePort();
  const args = ['serve', ...(roles.length > 0 ? ['--role', ...roles] : [])];
  const service = await startChild(
    'dist/main.js',
    args,
    { ...serviceEnv, PORT: String(port) },
    undefined,
    { profiled: true },
  );
  stops.push(service.stop);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(url);
  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
  const admin = (await json(await post('/api/auth/login', ADMIN))).token;
  const customer = (await json(await post('/api/auth/login', CUSTOMER))).token;
  const product = (
    await json(await post('/api/products', { name: 'Bench widget', price: 9.99, stock }, admin))
  ).product._id;
  return { url, pid: service.child.pid, customer, product, post };
};
