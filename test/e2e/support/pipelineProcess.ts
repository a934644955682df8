import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { ProcessRole } from '../../../src/subscriptions.js';
import { isAlive, signal } from '../../support/processes.js';

const root = resolve(import.meta.dirname, '..', '..', '..');

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

export type RoleProcess = {
  pid: number;
  /** Set once the process has ended. */
  exit(): Exit | undefined;
  exited: Promise<Exit>;
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<void>;
  /** SIGTERM, a bounded wait for the clean stop, then SIGKILL. */
  stop(graceMs?: number): Promise<Exit>;
  /** Its last lines of output, for a failure message. */
  output(): string;
};

const alive = new Set<RoleProcess>();
// A test that dies without its after hook must not leave role processes writing to a removed folder.
process.once('exit', () => {
  for (const child of alive) if (!child.exit() && isAlive(child.pid)) signal(child.pid, 'SIGKILL');
});

/** `serve --role ...` as deployed: its own process, on the data folder and queue the test names. */
export const spawnRoles = (
  roles: readonly ProcessRole[],
  env: Record<string, string>,
): RoleProcess => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/main.ts', 'serve', '--role', ...roles],
    {
      cwd: root,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const keep = (line: string) => {
    lines.push(line.slice(0, 500));
    if (lines.length > 30) lines.shift();
  };
  createInterface({ input: child.stdout! }).on('line', keep);
  createInterface({ input: child.stderr! }).on('line', keep);
  let ended: Exit | undefined;
  const exited = new Promise<Exit>((done) =>
    child.once('exit', (code, signal) => {
      ended = { code, signal };
      alive.delete(handle);
      done(ended);
    }),
  );
  const handle: RoleProcess = {
    pid: child.pid!,
    exit: () => ended,
    exited,
    kill: async () => {
      if (!ended) child.kill('SIGKILL');
      await exited;
    },
    stop: async (graceMs = 15_000) => {
      if (!ended) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    },
    output: () => lines.join('\n'),
  };
  alive.add(handle);
  return handle;
};

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export type CrashLoop = {
  /** Starts the role under test. */
  start(): RoleProcess;
  /** A number that grows while the role works (final events, a checkpoint). */
  progress(): Promise<number>;
  /** True once there is nothing left for the role to do. */
  finished(): Promise<boolean>;
  maxKills: number;
  /** A kill lands this long after the process was first seen working: uniform in [min, max]. */
  killAfterMs: [number, number];
  /** Absolute time (ms since epoch) past which the loop gives up with a clear message. */
  deadline: number;
};

/**
 * Starts the role, waits until it is seen working, lets it work for a random moment and kills it
 * with SIGKILL; again, until the work is finished or the kills are used up. Returns the number of
 * kills. A process that exits by itself fails the loop with its output.
 */
export const killRepeatedly = async (loop: CrashLoop): Promise<number> => {
  let kills = 0;
  while (kills < loop.maxKills && !(await loop.finished())) {
    const child = loop.start();
    try {
      const before = await loop.progress();
      for (;;) {
        if (Date.now() > loop.deadline)
          throw new Error(`crash loop ran past its deadline after ${kills} kills`);
        const exit = child.exit();
        if (exit)
          throw new Error(
            `role process exited by itself (${JSON.stringify(exit)}):\n${child.output()}`,
          );
        if ((await loop.progress()) > before || (await loop.finished())) break;
        await sleep(50);
      }
      const [min, max] = loop.killAfterMs;
      await sleep(min + Math.random() * (max - min));
    } finally {
      await child.kill();
    }
    kills += 1;
  }
  return kills;
};

/** Polls `condition` every `intervalMs` until it holds; fails with `what` once `deadline` has passed. */
export const waitUntil = async (
  what: string,
  condition: () => Promise<boolean>,
  deadline: number,
  intervalMs = 100,
) => {
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(intervalMs);
  }
};
