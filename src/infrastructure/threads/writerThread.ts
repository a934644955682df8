import { once } from 'node:events';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker } from 'node:worker_threads';
import { fromWire, toWire, type WireError } from './wireErrors.js';

type Call<Req> = { id: number; request: Req } | 'close';
type Reply<Res> = { id: number; result: Res } | { id: number; failure: WireError };

/** A thread's module next to the caller's: `.js` when built, `.ts` when run through tsx. */
export const siblingModule = (callerUrl: string, name: string) =>
  new URL(`./${name}${extname(fileURLToPath(callerUrl))}`, callerUrl);

/**
 * Run from TypeScript (tests, `npm run dev`), the thread needs tsx, which registers itself only on
 * the main thread: it is registered here, through its documented CommonJS API, before the module
 * is loaded.
 */
const spawn = (module: URL, workerData: object) => {
  if (!module.pathname.endsWith('.ts')) return new Worker(module, { workerData });
  const [tsx, file] = [
    createRequire(import.meta.url).resolve('tsx/cjs/api'),
    fileURLToPath(module),
  ];
  // Valid as a script and as a module: the thread inherits --input-type when a parent has one.
  const bootstrap =
    `import('node:module').then(({ createRequire }) => { const require = createRequire(${JSON.stringify(file)}); ` +
    `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(file)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
};

export type WriterThread<Req, Res> = {
  /** Whether the thread has died (its error went to the calls in flight); start another. */
  failed(): boolean;
  call(request: Req): Promise<Res>;
  close(): Promise<void>;
};

/**
 * A thread that owns one SQLite connection and commits what the main thread sends it, so an
 * fsync (synchronous=FULL) or a wait for another process's write lock holds up that thread, never
 * the event loop that serves requests and moves messages. `module` calls serveWriterThread. The
 * thread holds the process open only while a call is in flight.
 */
export const startWriterThread = <Req, Res>(
  module: URL,
  workerData: object,
  what: string,
): WriterThread<Req, Res> => {
  const worker = spawn(module, workerData);
  worker.unref();
  const waiting = new Map<
    number,
    { resolve: (result: Res) => void; reject: (error: unknown) => void }
  >();
  let nextId = 0;
  let broken: Error | undefined;

  const failAll = (error: Error) => {
    broken ??= error;
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  worker.on('message', (reply: Reply<Res>) => {
    const request = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (waiting.size === 0) worker.unref();
    if ('failure' in reply) request?.reject(fromWire(reply.failure));
    else request?.resolve(reply.result);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`${what}'s writer thread exited (code ${code})`)));

  return {
    failed: () => broken !== undefined,
    call: (request) =>
      new Promise<Res>((resolve, reject) => {
        if (broken) return reject(broken);
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage({ id, request } satisfies Call<Req>);
      }),
    close: async () => {
      if (broken) return;
      const exited = once(worker, 'exit');
      worker.ref(); // the wait for the database to close must hold the process open
      worker.postMessage('close' satisfies Call<Req>);
      await exited;
    },
  };
};

/** The thread's side: answers each call with `handle`'s result, or the error it threw. */
export const serveWriterThread = <Req, Res>(handle: (request: Req) => Res, close: () => void) => {
  const port = parentPort!;
  port.on('message', (call: Call<Req>) => {
    if (call === 'close') {
      close();
      port.close();
      return;
    }
    let reply: Reply<Res>;
    try {
      reply = { id: call.id, result: handle(call.request) };
    } catch (error) {
      reply = { id: call.id, failure: toWire(error) };
    }
    port.postMessage(reply);
  });
};
