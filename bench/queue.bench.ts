/**
 * Bare queue throughput: send + receive + acknowledge, one message at a time and in batches of
 * ten, for the SQLite queue and for SQS (fauxqs in-process). These are the ceilings the end-to-end
 * pipeline benchmark compares against. Each result puts the one-at-a-time rate (subject) beside
 * the batched rate (baseline); the ratio shows what batching buys, and no target is asserted.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startFauxqs } from 'fauxqs';
import type { Queue } from '../src/application/ports/queue.js';
import { createSqliteQueue, createSqsQueue } from '../src/infrastructure/queue/index.js';
import { compare, percentile, rate, report, type BenchResult, type Measurement } from './lib.js';
import { startCpuMeter } from './support/processes.js';

const seconds = 4;
const warmUpSeconds = 0.5;

/** One round: send `size` messages (one group each), receive them all, acknowledge them. */
const roundTrip = (queue: Queue, size: number) => async () => {
  const messages = Array.from({ length: size }, () => {
    const id = randomUUID();
    return { id, groupId: id, body: JSON.stringify({ orderId: id, items: [] }) };
  });
  await queue.send(messages);
  let received = 0;
  while (received < size) {
    const batch = await queue.receive({ maxMessages: size, waitSeconds: 1 });
    // The port acknowledges one message per call; a consumer done with a batch sends them together.
    await Promise.all(batch.map((m) => queue.acknowledge(m)));
    received += batch.length;
  }
};

/**
 * Send+receive+acknowledge rate of `queue` in rounds of `size` messages (the pipeline bench's
 * baseline), and the CPU each message cost this process (every thread) plus `serverCpuMs`'s, when
 * given (the queue server's process).
 */
export const measure = async (
  name: string,
  queue: Queue,
  size: number,
  serverCpuMs: () => number | undefined = () => 0,
): Promise<Measurement & { cpuMsPerMessage?: number }> => {
  await rate(roundTrip(queue, size), { seconds: warmUpSeconds });
  const latencies: number[] = [];
  const round = roundTrip(queue, size);
  const cpuSince = startCpuMeter(serverCpuMs);
  const { perSecond, operations } = await rate(
    async () => {
      const started = process.hrtime.bigint();
      await round();
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    },
    { seconds },
  );
  const { ownMs, serverMs } = cpuSince();
  const cpuMs = serverMs === undefined ? undefined : ownMs + serverMs;
  return {
    name,
    ...(cpuMs === undefined ? {} : { cpuMsPerMessage: cpuMs / (operations * size) }),
    value: perSecond * size,
    unit: 'msg/s',
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
};

const compareSizes = async (label: string, queue: Queue): Promise<BenchResult> => {
  const single = await measure(`${label} send+receive+ack, one at a time`, queue, 1);
  const batched = await measure(`${label} send+receive+ack, batches of 10`, queue, 10);
  return compare(
    `${label} queue: bare message rate`,
    single,
    batched,
    0,
    'Baselines for the pipeline benchmark; latency is per round (one message or one batch).',
  );
};

const sqliteBench = async (): Promise<BenchResult> => {
  const dir = mkdtempSync(join(tmpdir(), 'queue-bench-'));
  const queue = createSqliteQueue({ path: join(dir, 'queue.db'), name: 'bench' });
  try {
    return await compareSizes('SQLite', queue);
  } finally {
    await queue.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

const sqsBench = async (): Promise<BenchResult> => {
  const server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  const queue = createSqsQueue({
    endpoint: server.address,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    queueName: `bench-${randomUUID()}`,
    create: true,
    visibilityTimeoutSeconds: 30,
    maxReceiveCount: 5,
  });
  try {
    await queue.ping();
    return await compareSizes('SQS (fauxqs)', queue);
  } finally {
    await queue.close();
    await server.stop();
  }
};

export const run = async (): Promise<BenchResult[]> => [await sqliteBench(), await sqsBench()];

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const result of await run()) console.log(report(result));
}
