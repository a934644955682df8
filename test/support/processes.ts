import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

export const execFileAsync = promisify(execFile);
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The kernel picks a free port for a throwaway listener; the server we start reuses it right after. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => (socket.destroy(), resolve(false)));
  });

/**
 * Polls until the port accepts connections. `gone` reports why the server can no longer come up
 * (its process exited), which ends the wait at once; the deadline only guards a server that hangs.
 */
export async function waitForPort(
  port: number,
  gone: () => string | null,
  deadlineMs = 30_000,
): Promise<string | null> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (await accepts(port)) return null;
    const reason = gone();
    if (reason) return reason;
    await sleep(50);
  }
  return `nothing accepted connections on 127.0.0.1:${port} within ${deadlineMs / 1000} s`;
}

export const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

export function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return null;
}

/**
 * A pid we may signal. 0 and negatives name process groups — `kill(0, SIGTERM)` would end the test
 * runner and everything that started it — so they are refused outright.
 */
const assertPid = (pid: number): void => {
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`refusing to signal pid ${pid}`);
};

/** A zombie (exited, not yet reaped by a parent we do not control) counts as gone. */
export const isAlive = (pid: number): boolean => {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
};

/** Stopping twice must not signal a pid the system may have handed to another process since. */
export function once(stop: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => (stopping ??= stop());
}

/** Servers we started (pid and temp dir), killed and removed synchronously if the process exits without the root hook. */
const owned = new Map<number, string>();
process.once('exit', () => {
  for (const [pid, dir] of owned) {
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    removeDir(dir);
  }
});

export const own = (pid: number, dir: string): void => (assertPid(pid), void owned.set(pid, dir));

/** Sends a signal to one process we started; never to a group. */
export const signal = (pid: number, name: NodeJS.Signals): void => (
  assertPid(pid),
  void process.kill(pid, name)
);

/** The pid in a daemon's pid file, or 0 while the file is missing or not yet whole. */
export const pidIn = (file: string): number => {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : 0;
  } catch {
    return 0;
  }
};

/**
 * The pid a daemon wrote to its pid file. redis-server listens before it writes the file, so an
 * open port does not mean the file is there yet (nor that it is whole): wait for a positive pid.
 */
export async function readPidFile(file: string, deadlineMs = 10_000): Promise<number> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const pid = pidIn(file);
    if (pid > 0) return pid;
    if (Date.now() >= until) throw new Error(`no pid in ${file} within ${deadlineMs / 1000} s`);
    await sleep(20);
  }
}

export async function stopPid(pid: number, graceMs = 10_000): Promise<void> {
  assertPid(pid);
  owned.delete(pid);
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const until = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < until) await sleep(25);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

export const removeDir = (dir: string): void => rmSync(dir, { recursive: true, force: true });

export function tail(file: string, lines = 5): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join(' | ');
  } catch {
    return '';
  }
}
