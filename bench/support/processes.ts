import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import type { Measurement } from '../lib.js';

const run = promisify(execFile);

export { freePort } from '../../test/support/processes.js';

/** Polls /readyz until it answers 200 (bounded). */
export const waitUntilReady = async (url: string, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} was not ready in ${timeoutMs} ms`);
};

/**
 * Runs a TypeScript file with tsx in a child process, resolving once `ready` matches a stdout line
 * (or at once when there is nothing to wait for).
 */
export const startChild = (file: string, args: string[], env: Record<string, string>, ready: RegExp | undefined) =>
  new Promise<{ child: ChildProcess; line: string; stop(): Promise<void> }>((resolve, reject) => {
    // Compiled JavaScript runs as it does in production (`npm start`); TypeScript through tsx.
    const runner = file.endsWith('.js') ? [file] : ['--import', 'tsx', file];
    const child = spawn(process.execPath, [...runner, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const stop = () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });
    if (!ready) {
      child.stdout!.resume();
      return resolve({ child, line: '', stop });
    }
    let buffered = '';
    const timeout = setTimeout(() => reject(new Error(`${file} did not start in 60 s`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((candidate) => ready.test(candidate));
      if (line) {
        clearTimeout(timeout);
        resolve({ child, line, stop });
      }
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });

export const cli = async (env: Record<string, string>, ...args: string[]) =>
  (await run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env: { ...process.env, ...env } })).stdout;

/** autocannon against one endpoint; requests/s with p50/p99 latency. */
export const load = async (
  name: string,
  options: { url: string; method: 'POST' | 'GET'; body?: string; headers?: Record<string, string>; connections: number; seconds: number },
): Promise<Measurement> => {
  const result = await autocannon({
    url: options.url,
    method: options.method,
    connections: options.connections,
    duration: options.seconds,
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.body ? { body: options.body } : {}),
  });
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) throw new Error(`${name}: ${bad} of ${result.requests.total} requests failed (non-2xx ${result.non2xx}, errors ${result.errors})`);
  return { name, value: result.requests.average, unit: 'req/s', p50Ms: result.latency.p50, p99Ms: result.latency.p99 };
};
