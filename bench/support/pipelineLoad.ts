/**
 * The pipeline benchmark's moving parts: where the pipeline runs, the open-loop load generator,
 * and reading placement and final times back from the log.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Config } from '../../src/config.js';
import { createContainer, TOKENS } from '../../src/container.js';
import type { AppContainer } from '../../src/container.js';
import { startSystem } from '../../src/system.js';
import { silentLogger } from '../../src/application/ports/index.js';
import type { EventStore } from '../../src/application/ports/index.js';
import { placeOrder } from '../../src/application/orders/index.js';
import { profileArgs } from './processes.js';

const TICK_MS = 10;
export const FINAL = ['OrderProcessed', 'OrderFailed'];

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export type Load = { offered: number; placed: string[]; refused: number; placedPerSecond: number };

/** Places one-line orders over many products at `rate` per second for `seconds` (open loop). */
export const placeAtRate = async (
  container: AppContainer,
  productIds: readonly string[],
  rate: number,
  seconds: number,
): Promise<Load> => {
  const [orders, products] = await Promise.all([
    container.get(TOKENS.orders),
    container.get(TOKENS.products),
  ]);
  const placed: string[] = [];
  let issued = 0;
  let refused = 0;
  const pending = new Set<Promise<void>>();
  const placeOne = () => {
    const userId = randomUUID();
    const productId = productIds[Math.floor(Math.random() * productIds.length)]!;
    const task = placeOrder(
      { orders, products },
      { userId, items: [{ productId, quantity: 1 }] },
      { userId, role: 'customer', correlationId: randomUUID() },
    )
      .then(
        (result) => void placed.push(result.orderId),
        () => void (refused += 1),
      )
      .finally(() => pending.delete(task));
    pending.add(task);
  };
  const started = performance.now();
  for (let elapsed = 0; elapsed < seconds * 1000; elapsed = performance.now() - started) {
    // An overloaded generator falls behind rather than piling up promises: the achieved rate shows it.
    const due = Math.min(Math.floor((elapsed / 1000) * rate) - issued, rate - pending.size);
    for (let i = 0; i < due; i += 1, issued += 1) placeOne();
    await sleep(TICK_MS);
  }
  await Promise.all(pending);
  return {
    offered: rate,
    placed,
    refused,
    placedPerSecond: placed.length / ((performance.now() - started) / 1000),
  };
};

/** Counts final events until every placed order has one, or the deadline passes. */
export const waitForFinals = async (
  eventStore: EventStore,
  wanted: number,
  after: number,
  timeoutMs: number,
) => {
  let seen = 0;
  let cursor = after;
  const deadline = Date.now() + timeoutMs;
  while (seen < wanted && Date.now() < deadline) {
    const page = await eventStore.readAll({ after: cursor, types: FINAL, maxCount: 5000 });
    seen += page.length;
    if (page.length > 0) cursor = page.at(-1)!.position;
    else await sleep(50);
  }
  return seen;
};

/** recordedAt (ms) of every event of these types after `after`, by order id. */
export const recordedAtByOrder = async (
  eventStore: EventStore,
  types: readonly string[],
  after: number,
) => {
  const times = new Map<string, number>();
  for (let cursor = after; ;) {
    const page = await eventStore.readAll({ after: cursor, types, maxCount: 5000 });
    if (page.length === 0) return times;
    for (const event of page)
      times.set((event.data as { orderId: string }).orderId, event.recordedAt.getTime());
    cursor = page.at(-1)!.position;
  }
};

/**
 * The embedded profile is one process (`npm start`): API and consumers share one connection to
 * each SQLite file, so placements and reservations share group commits. By default the forwarder
 * and processor run here, beside the load generator, as they would beside the API.
 * BENCH_PIPELINE_SPLIT=1 runs them as `serve --role forwarder processor` in their own process
 * instead (a split deployment on SQLite files: the two processes then queue for each file's write
 * lock); BENCH_CPU_PROF=<dir> profiles that process (--cpu-prof is refused in NODE_OPTIONS).
 */
export const SPLIT = process.env.BENCH_PIPELINE_SPLIT === '1';

export const startPipeline = async (config: Config, env: Record<string, string>) => {
  if (!SPLIT) {
    const system = await startSystem(config, silentLogger, ['forwarder', 'processor']);
    return { container: system.container, stop: () => system.stop() };
  }
  const container = createContainer(config, silentLogger);
  const child = spawn(
    process.execPath,
    [
      ...profileArgs(),
      '--import',
      'tsx',
      'src/main.ts',
      'serve',
      '--role',
      'forwarder',
      'processor',
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    container,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      await container.close();
    },
  };
};
