import { readModels } from '../src/subscriptions.js';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { MongoClient } from 'mongodb';
import { silentLogger, systemClock } from '../src/application/ports/index.js';
import type { Doc, DocumentStore } from '../src/application/ports/index.js';
import {
  createMongoDocumentStore,
  createSqliteDocumentStore,
} from '../src/infrastructure/documents/index.js';
import { createSqliteEventStore } from '../src/infrastructure/eventStore/index.js';
import { startRebuild } from '../src/projections/index.js';
import { mongoService, stopServices } from '../test/support/services.js';
import { compare, report } from './lib.js';
import type { BenchResult } from './lib.js';
import { fillRebuildLog } from './support/rebuildLog.js';

const SIZES = (process.env.REBUILD_BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
const STORES = (process.env.REBUILD_BENCH_STORES ?? 'sqlite,mongo').split(',');
const CHUNK = 2000;
const MB = 1024 * 1024;
const HEAP_CAP_MB = 128;

const chunks = <T>(items: readonly T[]) =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) =>
    items.slice(i * CHUNK, (i + 1) * CHUNK),
  );

type Target = { kind: 'sqlite'; dir: string } | { kind: 'mongo'; url: string; database: string };

const openDocuments = (target: Target): DocumentStore =>
  target.kind === 'sqlite'
    ? createSqliteDocumentStore({ path: join(target.dir, 'documents.db') })
    : createMongoDocumentStore({ url: target.url, database: target.database });

/**
 * The same documents, inserted with nothing between them and the store but its own driver, 2000
 * per call, each call's documents in key order (as the rebuild writes them).
 */
const bareInsert = async (target: Target, all: readonly Doc[]) => {
  const docs = chunks(all).flatMap((chunk) =>
    [...chunk].sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0)),
  );
  let seconds = 0;
  const timed = async (work: () => unknown) => {
    const started = process.hrtime.bigint();
    await work();
    seconds += Number(process.hrtime.bigint() - started) / 1e9;
  };
  if (target.kind === 'sqlite') {
    const db = new Database(join(target.dir, 'baseline.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE docs (_id TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID');
    const insert = db.prepare('INSERT INTO docs (_id, doc) VALUES (?, ?)');
    const many = db.transaction((chunk: readonly Doc[]) =>
      chunk.forEach((doc) => insert.run(doc._id, JSON.stringify(doc))),
    );
    for (let i = 0; i < docs.length; i += CHUNK) await timed(() => many(docs.slice(i, i + CHUNK)));
    db.close();
  } else {
    const client = new MongoClient(target.url);
    const collection = client.db(target.database).collection<Doc>('baseline_orders');
    for (let i = 0; i < docs.length; i += CHUNK)
      await timed(() =>
        collection.insertMany(
          docs.slice(i, i + CHUNK).map((doc) => ({ ...doc })),
          { ordered: true },
        ),
      );
    await client.close();
  }
  return seconds;
};

/** In its own process, so its peak RSS is the rebuild's alone. */
const rebuildChild = async (eventsPath: string, target: Target) => {
  const eventStore = createSqliteEventStore({ path: eventsPath, synchronous: 'NORMAL' });
  const documents = openDocuments(target);
  let peak = process.memoryUsage.rss();
  const sample = () => void (peak = Math.max(peak, process.memoryUsage.rss()));
  const sampler = setInterval(sample, 20);
  const events = (await eventStore.headPosition()) ?? 0;
  const started = process.hrtime.bigint();
  const rebuild = await startRebuild({
    projection: readModels.orders,
    eventStore,
    documents,
    clock: systemClock,
    logger: silentLogger,
    onProgress: sample,
  });
  const done = await rebuild.done;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  sample();
  const docs = await documents.collection(readModels.orders.collection).count();
  await documents.close();
  await eventStore.close();
  return { events, orderEvents: done.events, docs, seconds, peakRssMb: peak / MB };
};

/** In a process of its own too: it holds every document in memory, which the rebuild must not. */
const baselineChild = async (target: Target) => {
  const documents = openDocuments(target);
  // In log order (orders are created in it), as the rebuild meets them: key order would flatter the baseline.
  const docs = (await documents.collection<Doc>(readModels.orders.collection).find({})).sort(
    (a, b) =>
      String(a.createdAt) < String(b.createdAt)
        ? -1
        : String(a.createdAt) > String(b.createdAt)
          ? 1
          : 0,
  );
  await documents.close();
  return { baselineSeconds: await bareInsert(target, docs) };
};

const inChild = <R>(
  phase: 'rebuild' | 'baseline',
  eventsPath: string,
  target: Target,
  heapCapMb?: number,
) =>
  new Promise<R>((resolve, reject) => {
    const flags = heapCapMb ? [`--max-old-space-size=${heapCapMb}`] : [];
    const spawned = spawn(process.execPath, [...flags, '--import', 'tsx', import.meta.filename], {
      env: { ...process.env, REBUILD_BENCH_CHILD: JSON.stringify({ phase, eventsPath, target }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    spawned.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    spawned.once('exit', (code, signal) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as R)
        : reject(new Error(`${phase} child exited with ${code ?? signal}`)),
    );
  });

/**
 * Rebuild of the orders projection from a log of 100k and 1M events into SQLite and into the
 * MongoDB-wire server (MONGODB_URL, or FerretDB started here), beside a bare bulk insert of the
 * same documents in the same child process. Target: at least half the bare insert's rate. Peak
 * RSS is the rebuild's own (a fresh process per run), and must not grow with the log.
 */
export const run = async (): Promise<BenchResult[]> => {
  const results: BenchResult[] = [];
  const mongo = STORES.includes('mongo') ? await mongoService() : null;
  const rss: Record<string, string[]> = {};
  try {
    for (const size of SIZES) {
      const dir = mkdtempSync(join(tmpdir(), 'bench-rebuild-'));
      try {
        const eventsPath = join(dir, 'events.db');
        const events = fillRebuildLog(eventsPath, size);
        const targets: Array<[string, Target]> = [];
        if (STORES.includes('sqlite')) targets.push(['SQLite', { kind: 'sqlite', dir }]);
        if (mongo)
          targets.push([
            'MongoDB-wire',
            {
              kind: 'mongo',
              url: mongo.url,
              database: `bench_rebuild_${randomBytes(4).toString('hex')}`,
            },
          ]);
        for (const [label, target] of targets) {
          // The old space is capped: a rebuild whose memory grew with the log would fail here, not
          // just swell; uncapped, V8 lets garbage pile up to a few times the live heap between collections.
          const rebuilt = await inChild<Awaited<ReturnType<typeof rebuildChild>>>(
            'rebuild',
            eventsPath,
            target,
            HEAP_CAP_MB,
          );
          const measured = {
            ...rebuilt,
            ...(await inChild<{ baselineSeconds: number }>('baseline', eventsPath, target)),
          };
          (rss[label] ??= []).push(
            `${measured.peakRssMb.toFixed(0)} MB at ${events.toLocaleString('en')}`,
          );
          results.push(
            compare(
              `Rebuild of the orders projection: ${events.toLocaleString('en')} events into ${label}`,
              {
                name: `rebuild (log events/s; ${measured.orderEvents} order events → ${measured.docs} documents)`,
                value: events / measured.seconds,
                unit: 'events/s',
                peakRssMb: measured.peakRssMb,
              },
              {
                name: 'bare bulk insert of the same documents (driver, 2000 per call)',
                value: events / measured.baselineSeconds,
                unit: 'events/s',
              },
              0.5,
              `rebuild ${measured.seconds.toFixed(1)} s, bare insert ${measured.baselineSeconds.toFixed(1)} s; peak RSS of the rebuild (V8 old space capped at ${HEAP_CAP_MB} MB): ${rss[label]!.join(', ')}`,
            ),
          );
          if (target.kind === 'mongo') {
            const client = new MongoClient(target.url);
            await client
              .db(target.database)
              .dropDatabase()
              .finally(() => client.close());
          }
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await stopServices();
  }
  if (!mongo && STORES.includes('mongo'))
    process.stderr.write(
      'rebuild bench: no MongoDB-wire server (MONGODB_URL, Docker or a ferretdb binary); SQLite only\n',
    );
  return results;
};

if (process.env.REBUILD_BENCH_CHILD) {
  const { phase, eventsPath, target } = JSON.parse(process.env.REBUILD_BENCH_CHILD) as {
    phase: string;
    eventsPath: string;
    target: Target;
  };
  const result =
    phase === 'rebuild' ? await rebuildChild(eventsPath, target) : await baselineChild(target);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const result of await run()) console.log(report(result));
}
