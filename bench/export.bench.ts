import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { exportEvents } from '../src/audit/index.js';
import { upcasters, withUpcasting } from '../src/application/upcasting/index.js';
import { createSqliteEventStore } from '../src/infrastructure/eventStore/index.js';
import { compare, report, type BenchResult, type Measurement } from './lib.js';

/**
 * `events export` (the port, upcasting, paging, NDJSON) beside the floor under it: the same rows
 * read with better-sqlite3's iterate() and written as the same lines, to the same discarding sink.
 * Peak RSS is sampled once per page; memory must not grow with the log (100k vs 1M).
 */

const SIZES = (process.env.EXPORT_BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
const STREAMS = 10_000;
const FILL_BATCH = 20_000;
const PAGE = 1000;
const TARGET = 0.5;
const MB = 1024 * 1024;

/** Keeps nothing, so the terminal is not flooded and only the export itself is measured. */
const nullSink = () =>
  new Writable({ highWaterMark: 1 << 20, write: (_chunk, _encoding, done) => done() });

const productIds = Array.from({ length: 50 }, () => randomUUID());

/** Realistic shapes and sizes: each order stream gets a placement, a reservation, an outcome, a cancellation. */
const streamEvents = (streamId: string, index: number) => {
  const productId = productIds[index % productIds.length]!;
  const orderId = streamId.slice('order-'.length);
  const metadata = JSON.stringify({
    userId: productId,
    role: 'customer',
    correlationId: randomUUID(),
    causationId: randomUUID(),
    requestId: randomUUID(),
    schemaVersion: 1,
  });
  const items = [
    { productId, quantity: 2, unitPrice: 1999 },
    { productId: productIds[0], quantity: 1, unitPrice: 500 },
  ];
  return [
    ['OrderPlaced', { orderId, userId: productId, items, totalAmount: 4498 }],
    ['StockReserved', { productId, orderId, quantity: 2 }],
    ['OrderProcessed', { orderId }],
    ['OrderCancelled', { orderId, reason: 'cancelled by the customer' }],
  ].map(([type, data]) => ({ type: type as string, data: JSON.stringify(data), metadata }));
};

/**
 * The bench's own bulk append: many events to many streams per transaction, straight into the
 * store's table, synchronous=NORMAL. Appending a million events one by one through the port
 * would take longer than everything measured here. Streams' payloads are built once and reused.
 */
const fill = (path: string, count: number) => {
  createSqliteEventStore({ path, synchronous: 'NORMAL' }).close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const insert = db.prepare(
    'INSERT INTO events (id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const streams = Array.from({ length: STREAMS }, (_, index) => {
    const streamId = `order-${randomUUID()}`;
    return { streamId, events: streamEvents(streamId, index) };
  });
  const started = Date.now() - count;
  const appendMany = db.transaction((from: number, to: number) => {
    for (let index = from; index < to; index += 1) {
      const { streamId, events } = streams[index % STREAMS]!;
      const revision = Math.floor(index / STREAMS);
      const { type, data, metadata } = events[revision % events.length]!;
      insert.run(randomUUID(), streamId, revision, type, data, metadata, started + index);
    }
  });
  for (let from = 0; from < count; from += FILL_BATCH) {
    appendMany(from, Math.min(count, from + FILL_BATCH));
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
};

const peakMeter = () => {
  let peak = process.memoryUsage.rss();
  return {
    sample: () => void (peak = Math.max(peak, process.memoryUsage.rss())),
    peakMb: () => peak / MB,
  };
};

const timed = async (work: () => Promise<number>) => {
  const started = process.hrtime.bigint();
  const events = await work();
  return { events, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
};

const exportSide = async (path: string): Promise<Measurement> => {
  const eventStore = withUpcasting(
    createSqliteEventStore({ path, synchronous: 'NORMAL' }),
    upcasters,
  );
  const sink = nullSink();
  const meter = peakMeter();
  try {
    const exported = () => exportEvents(eventStore, sink, {}, meter.sample);
    const { events, seconds } = await timed(async () => (await exported()).events);
    const name = 'events export (EventStore port + upcasting + NDJSON)';
    return { name, value: events / seconds, unit: 'events/s', peakRssMb: meter.peakMb() };
  } finally {
    await eventStore.close();
  }
};

type Row = { recordedAt: number; data: string; metadata: string } & Record<string, unknown>;

/** The same lines as the export, with nothing between SQLite and JSON.stringify. */
const baselineSide = async (path: string): Promise<Measurement> => {
  const db = new Database(path, { readonly: true });
  const sink = nullSink();
  const meter = peakMeter();
  const select = db.prepare<[], Row>(
    `SELECT position, id, stream_id AS streamId, revision, type, recorded_at AS recordedAt, data, metadata
     FROM events ORDER BY position`,
  );
  try {
    const { events, seconds } = await timed(async () => {
      let count = 0;
      let chunk = '';
      for (const row of select.iterate()) {
        const recordedAt = new Date(row.recordedAt).toISOString();
        const line = {
          ...row,
          recordedAt,
          data: JSON.parse(row.data),
          metadata: JSON.parse(row.metadata),
        };
        chunk += `${JSON.stringify(line)}\n`;
        if (++count % PAGE !== 0) continue;
        if (!sink.write(chunk)) await once(sink, 'drain');
        chunk = '';
        meter.sample();
      }
      sink.write(chunk);
      return count;
    });
    const name = 'better-sqlite3 iterate() + JSON.stringify';
    return { name, value: events / seconds, unit: 'events/s', peakRssMb: meter.peakMb() };
  } finally {
    db.close();
  }
};

const removeDatabase = (path: string) =>
  Promise.all(['', '-wal', '-shm'].map((suffix) => rm(`${path}${suffix}`, { force: true })));

const label = (count: number) => (count >= 1e6 ? `${count / 1e6}M` : `${count / 1e3}k`);

export const run = async (): Promise<BenchResult[]> => {
  const results: BenchResult[] = [];
  const peaks: Array<{ count: number; rssMb: number }> = [];
  for (const count of SIZES) {
    const path = join(tmpdir(), `export-bench-${randomUUID()}.db`);
    try {
      const fillSeconds = (await timed(async () => (fill(path, count), count))).seconds;
      const baseline = await baselineSide(path);
      const subject = await exportSide(path);
      peaks.push({ count, rssMb: subject.peakRssMb! });
      results.push(
        compare(
          `Event export to NDJSON, ${label(count)} events (SQLite, WAL)`,
          subject,
          baseline,
          TARGET,
          `fill ${fillSeconds.toFixed(1)} s by bulk insert; pages of ${PAGE}; a discarding sink`,
        ),
      );
    } finally {
      await removeDatabase(path);
    }
  }
  const [smallest, largest] = [peaks[0], peaks.at(-1)];
  if (smallest && largest && largest.count > smallest.count) {
    results.push(
      compare(
        `Export memory stays flat: peak RSS at ${label(smallest.count)} over peak RSS at ${label(largest.count)}`,
        { name: `peak RSS, ${label(smallest.count)} events`, value: smallest.rssMb, unit: 'MB' },
        { name: `peak RSS, ${label(largest.count)} events`, value: largest.rssMb, unit: 'MB' },
        0.9,
        `${largest.count / smallest.count}x the events; a ratio near 1 means memory does not grow with the log`,
      ),
    );
  }
  return results;
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const result of await run()) console.log(report(result));
}
