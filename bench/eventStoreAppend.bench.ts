import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { NewEvent } from '../src/application/ports/eventStore.js';
import { createSqliteEventStore } from '../src/infrastructure/eventStore/index.js';
import { compare, percentile, rate, report, type BenchResult, type Measurement } from './lib.js';

/**
 * Single-event appends with an expected revision, round-robin over many streams (the shape of
 * the order service's writes), beside the floor the store is built on: a prepared INSERT loop
 * into the same table, one autocommit transaction per row, same WAL and synchronous setting.
 */

type Synchronous = 'NORMAL' | 'FULL';

const SECONDS = 4;
const ROUNDS = 4;
const WARM_UP_SECONDS = 0.5;
const STREAMS = 1000;
const TARGET = 0.5;
const BUSY_TIMEOUT_MS = 5000;

// The event store's table, restated so the baseline owes nothing to the code it measures.
const TABLE = `
CREATE TABLE events (
  position INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  stream_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  metadata TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  UNIQUE (stream_id, revision)
) STRICT;
CREATE INDEX events_type ON events (type);
`;

const productIds = Array.from({ length: 2 }, () => randomUUID());

/** An OrderPlaced-like event: about 300 bytes of data and 200 of metadata, fresh ids each time. */
const orderPlaced = (streamId: string): NewEvent => ({
  id: randomUUID(),
  type: 'OrderPlaced',
  data: {
    orderId: streamId.slice('order-'.length),
    userId: productIds[0],
    items: productIds.map((productId, i) => ({ productId, quantity: i + 1, unitPrice: 1999 })),
    totalAmount: 11994,
  },
  metadata: {
    userId: productIds[0],
    role: 'customer',
    correlationId: randomUUID(),
    causationId: randomUUID(),
    requestId: randomUUID(),
    schemaVersion: 1,
  },
});

const streamIds = Array.from({ length: STREAMS }, () => `order-${randomUUID()}`);

/** Round-robin over the streams, tracking each one's revision as a writer would. */
const workload = () => {
  const revisions = new Array<number>(STREAMS).fill(-1);
  let next = 0;
  return () => {
    const slot = next++ % STREAMS;
    const streamId = streamIds[slot] as string;
    const revision = revisions[slot] as number;
    revisions[slot] = revision + 1;
    return { streamId, revision, event: orderPlaced(streamId) };
  };
};

type Side = { name: string; operation: () => unknown; close: () => Promise<void> };

/** Per-operation latencies and an overall rate, accumulated over several rounds. */
const meter = (side: Side) => {
  const samples: number[] = [];
  let operations = 0;
  let seconds = 0;
  const timed = async () => {
    const started = process.hrtime.bigint();
    await side.operation();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  };
  return {
    round: async (roundSeconds: number) => {
      const measured = await rate(timed, { seconds: roundSeconds });
      operations += measured.operations;
      seconds += measured.seconds;
    },
    result: (): Measurement => ({
      name: side.name,
      value: operations / seconds,
      unit: 'appends/s',
      p50Ms: percentile(samples, 50),
      p99Ms: percentile(samples, 99),
    }),
  };
};

const removeDatabase = (path: string) =>
  Promise.all(['', '-wal', '-shm'].map((suffix) => rm(`${path}${suffix}`, { force: true })));

const eventStoreSide = (path: string, synchronous: Synchronous): Side => {
  const store = createSqliteEventStore({ path, synchronous });
  const nextAppend = workload();
  return {
    name: 'SQLite event store append',
    operation: async () => {
      const { streamId, revision, event } = nextAppend();
      await store.append(streamId, [event], revision === -1 ? 'no_stream' : revision);
    },
    close: () => store.close(),
  };
};

const bareInsertSide = (path: string, synchronous: Synchronous): Side => {
  const db = new Database(path);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.exec(TABLE);
  const insert = db.prepare(
    `INSERT INTO events (id, stream_id, revision, type, data, metadata, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const nextAppend = workload();
  return {
    name: 'better-sqlite3 prepared INSERT',
    operation: () => {
      const { streamId, revision, event } = nextAppend();
      insert.run(
        event.id,
        streamId,
        revision + 1,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        Date.now(),
      );
    },
    close: async () => {
      db.close();
    },
  };
};

const compareAt = async (synchronous: Synchronous): Promise<BenchResult> => {
  const [subjectPath, baselinePath] = [1, 2].map(() =>
    join(tmpdir(), `event-store-bench-${randomUUID()}.db`),
  ) as [string, string];
  const sides = [
    eventStoreSide(subjectPath, synchronous),
    bareInsertSide(baselinePath, synchronous),
  ];
  try {
    for (const side of sides) await rate(side.operation, { seconds: WARM_UP_SECONDS });
    // Alternating rounds, so a noisy neighbour on a shared machine hits both sides alike.
    const meters = sides.map(meter);
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const sideMeter of meters) await sideMeter.round(SECONDS / ROUNDS);
    }
    const [subject, baseline] = meters.map((sideMeter) => sideMeter.result()) as [
      Measurement,
      Measurement,
    ];
    const sample = orderPlaced(streamIds[0] as string);
    return compare(
      `Event store append, single events over ${STREAMS} streams (WAL, synchronous=${synchronous})`,
      subject,
      baseline,
      TARGET,
      `data ${JSON.stringify(sample.data).length} B, metadata ${JSON.stringify(sample.metadata).length} B, ` +
        `${SECONDS} s each in ${ROUNDS} alternating rounds`,
    );
  } finally {
    await Promise.all(sides.map((side) => side.close()));
    await Promise.all([removeDatabase(subjectPath), removeDatabase(baselinePath)]);
  }
};

/** FULL is the store's default; NORMAL shows the overhead once fsync no longer dominates. */
export const run = async (): Promise<BenchResult[]> => [
  await compareAt('FULL'),
  await compareAt('NORMAL'),
];

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const result of await run()) console.log(report(result));
}
