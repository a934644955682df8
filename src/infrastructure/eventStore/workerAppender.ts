import { once } from 'node:events';
import { extname } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ConcurrencyError } from '../../domain/shared/errors.js';
import type { AppendOutcome, AppendRequest, GroupResult } from './append.js';
import type { Synchronous } from './schema.js';

/** An error as it crosses threads: structured cloning keeps neither classes nor their fields. */
type WireError =
  | { kind: 'concurrency'; streamId: string; expected: string; actual: string }
  | { kind: 'range'; message: string }
  | { kind: 'error'; name: string; message: string; code?: string };

export type GroupReply =
  | { id: number; results: Array<{ outcome: AppendOutcome } | { error: WireError }> }
  | { id: number; failure: WireError };

export const toWire = (error: unknown): WireError => {
  if (error instanceof ConcurrencyError) {
    const { streamId, expected, actual } = error;
    return { kind: 'concurrency', streamId, expected, actual };
  }
  if (error instanceof RangeError) return { kind: 'range', message: error.message };
  const {
    name = 'Error',
    message = String(error),
    code,
  } = error as { name?: string; message?: string; code?: unknown };
  return { kind: 'error', name, message, ...(typeof code === 'string' ? { code } : {}) };
};

const fromWire = (wire: WireError): Error => {
  if (wire.kind === 'concurrency')
    return new ConcurrencyError(wire.streamId, wire.expected, wire.actual);
  if (wire.kind === 'range') return new RangeError(wire.message);
  return Object.assign(new Error(wire.message), {
    name: wire.name,
    ...(wire.code ? { code: wire.code } : {}),
  });
};

/** The worker's own module next to this one: `.js` when built, `.ts` when run through tsx. */
const workerUrl = new URL(
  `./appendWorker${extname(fileURLToPath(import.meta.url))}`,
  import.meta.url,
);

/**
 * Run from TypeScript (tests, `npm run dev`), the thread needs tsx, which registers itself only on
 * the main thread: it is registered here, through its documented CommonJS API, before the module
 * is loaded.
 */
const spawnWriter = (workerData: object) => {
  if (!workerUrl.pathname.endsWith('.ts')) return new Worker(workerUrl, { workerData });
  const [tsx, file] = [
    createRequire(import.meta.url).resolve('tsx/cjs/api'),
    fileURLToPath(workerUrl),
  ];
  // Valid as a script and as a module: the thread inherits --input-type when a parent has one.
  const bootstrap =
    `import('node:module').then(({ createRequire }) => { const require = createRequire(${JSON.stringify(file)}); ` +
    `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(file)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
};

/**
 * Commits groups of appends on a thread of their own, so an fsync (synchronous=FULL) or a wait
 * for another process's write lock never blocks the event loop: the service keeps answering
 * requests and moving messages while the disk catches up, and the appends that arrive meanwhile
 * form the next group. The thread holds the process open only while a group is in flight.
 */
export const startWorkerAppender = (path: string, synchronous: Synchronous) => {
  const worker = spawnWriter({ path, synchronous });
  worker.unref();
  const waiting = new Map<
    number,
    { resolve: (results: GroupResult[]) => void; reject: (error: unknown) => void }
  >();
  let nextId = 0;
  let broken: Error | undefined;

  const failAll = (error: Error) => {
    broken = error;
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  worker.on('message', (reply: GroupReply) => {
    const request = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (waiting.size === 0) worker.unref();
    if ('failure' in reply) return request?.reject(fromWire(reply.failure));
    request?.resolve(
      reply.results.map((result) =>
        'error' in result ? { error: fromWire(result.error) } : result,
      ),
    );
  });
  worker.on('error', failAll);
  worker.on('exit', (code) =>
    failAll(new Error(`the event store's writer thread exited (code ${code})`)),
  );

  return {
    /** Whether the thread has died (its error went to the groups in flight); start another. */
    failed: () => broken !== undefined,
    appendGroup: (batch: readonly AppendRequest[]) =>
      new Promise<GroupResult[]>((resolve, reject) => {
        if (broken) return reject(broken);
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        worker.ref();
        // Only what the writer needs: the pending entries also carry their promise's callbacks.
        worker.postMessage({
          id,
          batch: batch.map(({ streamId, events, expected }) => ({ streamId, events, expected })),
        });
      }),
    close: async () => {
      if (broken) return;
      const exited = once(worker, 'exit');
      worker.ref(); // the wait for the database to close must hold the process open
      worker.postMessage('close');
      await exited;
    },
  };
};
