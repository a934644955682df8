import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} was not ready in ${timeoutMs} ms`);
};

/** BENCH_CPU_PROF=<dir>: the node flags that profile a benchmark's subject (refused in NODE_OPTIONS). */
export const profileArgs = (): string[] =>
  process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];

/**
 * Runs a file in a child process (TypeScript through tsx), resolving once `ready` matches a stdout
 * line (or at once when there is nothing to wait for). `profiled` children are CPU-profiled
 * under BENCH_CPU_PROF.
 */
export const startChild = (
  file: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp | undefined,
  { profiled = false } = {},
) =>
  new Promise<{ child: ChildProcess; line: string; stop(): Promise<void> }>((resolve, reject) => {
    // Compiled JavaScript runs as it does in production (`npm start`); TypeScript through tsx.
    const runner = [
      ...(profiled ? profileArgs() : []),
      ...(file.endsWith('.js') ? [file] : ['--import', 'tsx', file]),
    ];
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

/**
 * CPU time (user + system, ms) a process has used so far, from /proc (Linux); undefined elsewhere.
 * What a server spends per request is steadier than its request rate on a shared machine.
 */
export const cpuMsOf = (pid: number | undefined): number | undefined => {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
};
/** USER_HZ: 100 on every Linux that Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Starts counting CPU: the returned function says what this process (every thread) has used since,
 * and what `serverCpuMs` (a server's process, e.g. `() => cpuMsOf(pid)`) has, undefined when it
 * cannot say.
 */
export const startCpuMeter = (serverCpuMs: () => number | undefined = () => 0) => {
  const [ownBefore, serverBefore] = [process.cpuUsage(), serverCpuMs()];
  return () => {
    const { user, system } = process.cpuUsage(ownBefore);
    const serverAfter = serverCpuMs();
    const serverMs =
      serverBefore === undefined || serverAfter === undefined
        ? undefined
        : serverAfter - serverBefore;
    return { ownMs: (user + system) / 1000, serverMs };
  };
};

export const cli = async (env: Record<string, string>, ...args: string[]) =>
  (
    await run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
      env: { ...process.env, ...env },
    })
  ).stdout;

type LoadOptions = {
  url: string;
  method: 'POST' | 'GET';
  body?: string;
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
  /** The server's process: its CPU per request is reported beside the rate. */
  pid?: number;
};

/** autocannon against one endpoint; requests/s with p50/p99 latency, and the server's CPU per request. */
export const load = async (
  name: string,
  options: LoadOptions,
): Promise<Measurement & { cpuUsPerRequest?: number }> => {
  const cpuBefore = cpuMsOf(options.pid);
  const result = await autocannon({
    url: options.url,
    method: options.method,
    connections: options.connections,
    duration: options.seconds,
    // A GET goes without Content-Type, as clients send it (a body type would wake a body parser).
    headers: {
      ...(options.body ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body ? { body: options.body } : {}),
  });
  const cpuAfter = cpuMsOf(options.pid);
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0)
    throw new Error(
      `${name}: ${bad} of ${result.requests.total} requests failed (non-2xx ${result.non2xx}, errors ${result.errors})`,
    );
  const cpu =
    cpuBefore === undefined || cpuAfter === undefined
      ? {}
      : { cpuUsPerRequest: ((cpuAfter - cpuBefore) * 1000) / result.requests.total };
  return {
    name,
    value: result.requests.average,
    unit: 'req/s',
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ...cpu,
  };
};

const median = <T>(values: readonly T[], by: (value: T) => number): T =>
  [...values].sort((a, b) => by(a) - by(b))[Math.floor(values.length / 2)]!;

/**
 * Short rounds of subject and baseline, alternating, and the medians: on a shared machine, load
 * that comes and goes hits both alike. Beside the rates, the servers' CPU per request (median),
 * which does not depend on what else the machine is doing. One unmeasured round of each first,
 * so that neither pays for its JIT warm-up in a measured one.
 */
export const alternate = async (
  rounds: number,
  subject: () => ReturnType<typeof load>,
  baseline: () => ReturnType<typeof load>,
) => {
  const runs = {
    subject: [] as Awaited<ReturnType<typeof load>>[],
    baseline: [] as Awaited<ReturnType<typeof load>>[],
  };
  await subject();
  await baseline();
  for (let round = 0; round < rounds; round += 1) {
    runs.subject.push(await subject());
    runs.baseline.push(await baseline());
  }
  const rates = (of: typeof runs.subject) => of.map((m) => m.value.toFixed(0)).join(', ');
  const cpu = (of: typeof runs.subject) =>
    of.map((m) => m.cpuUsPerRequest).filter((us) => us !== undefined);
  const [subjectCpu, baselineCpu] = [cpu(runs.subject), cpu(runs.baseline)];
  const cpuNote =
    subjectCpu.length === rounds && baselineCpu.length === rounds
      ? `; server CPU per request (median): service ${median(subjectCpu, Number).toFixed(0)} µs, baseline ${median(baselineCpu, Number).toFixed(0)} µs (baseline ÷ service ${(median(baselineCpu, Number) / median(subjectCpu, Number)).toFixed(2)})`
      : '';
  return {
    subject: median(runs.subject, (m) => m.value),
    baseline: median(runs.baseline, (m) => m.value),
    notes: `median of ${rounds} alternating rounds; service ${rates(runs.subject)} req/s, baseline ${rates(runs.baseline)} req/s${cpuNote}`,
  };
};
