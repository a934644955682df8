import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  execFileAsync,
  freePort,
  isAlive,
  isExecutable,
  onPath,
  once,
  own,
  pidIn,
  readPidFile,
  removeDir,
  stopPid,
  tail,
  waitForPort,
} from './processes.js';

/** A server we started: where it listens, and how to stop it. A string instead says why it could not start. */
export type Started = { url: string; stop(): Promise<void> };

const attempts = 3; // another process may take the free port before our server binds it

/**
 * Starts redis-server daemonized on `port` with its files in `dir`, so it does not die with a test
 * process that is killed: the pid file is how it is stopped. Resolves to its pid once it accepts
 * connections and has written that file; rejects with why it did not come up.
 */
export async function launchRedis(bin: string, port: number, dir: string): Promise<number> {
  const [pidFile, logFile] = [join(dir, 'redis.pid'), join(dir, 'redis.log')];
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  args.push('--daemonize', 'yes', '--pidfile', pidFile, '--dir', dir, '--logfile', logFile);
  rmSync(pidFile, { force: true }); // a restart in the same dir must not read the last server's pid
  await execFileAsync(bin, args);
  const failure = await waitForPort(port, () => {
    const written = pidIn(pidFile);
    return written > 0 && !isAlive(written) ? `redis-server exited: ${tail(logFile)}` : null;
  });
  const pid = await readPidFile(pidFile).catch(() => 0);
  if (pid) own(pid, dir);
  if (failure || !pid) {
    if (pid) await stopPid(pid);
    throw new Error(failure ?? `redis-server wrote no pid file: ${tail(logFile)}`);
  }
  return pid;
}

export const redisBin = (): string | null => {
  const bin = process.env.REDIS_SERVER_BIN ?? onPath('redis-server');
  return bin && isExecutable(bin) ? bin : null;
};

export async function startLocalRedis(): Promise<Started | string> {
  const bin = redisBin();
  if (!bin) return 'no redis-server (REDIS_SERVER_BIN or PATH)';
  let reason = '';
  for (let i = 0; i < attempts; i += 1) {
    const [dir, port] = [mkdtempSync(join(tmpdir(), 'redis-')), await freePort()];
    try {
      const pid = await launchRedis(bin, port, dir);
      return {
        url: `redis://127.0.0.1:${port}`,
        stop: once(async () => (await stopPid(pid), removeDir(dir))),
      };
    } catch (error) {
      removeDir(dir);
      reason = `redis-server failed to start: ${(error as Error).message}`;
    }
  }
  return reason;
}

async function findFerretDb(): Promise<string | null> {
  if (process.env.FERRETDB_BIN) return process.env.FERRETDB_BIN;
  const found = onPath('ferretdb');
  if (found) return found;
  let gopath = join(homedir(), 'go');
  try {
    gopath = (await execFileAsync('go', ['env', 'GOPATH'])).stdout.trim().split(':')[0] || gopath;
  } catch {
    // no Go toolchain: its default GOPATH may still hold a binary built earlier
  }
  const bin = join(gopath, 'bin', 'ferretdb');
  return isExecutable(bin) ? bin : null;
}

/** FerretDB built by plain `go install` panics at start for lack of build/version/version.txt. */
async function checkFerretDb(bin: string): Promise<string | null> {
  try {
    await execFileAsync(bin, ['--version']);
    return null;
  } catch (error) {
    const output = String((error as { stderr?: unknown }).stderr ?? (error as Error).message);
    const hint = /version\.txt/.test(output)
      ? ' (a `go install` build without build/version/version.txt: build from a copy of the module with that file holding "v1.24.2")'
      : '';
    return `${bin} does not run: ${output.split('\n')[0]}${hint}`;
  }
}

export async function startLocalFerretDb(): Promise<Started | string> {
  const bin = await findFerretDb();
  if (!bin) return 'no ferretdb (FERRETDB_BIN, PATH or $(go env GOPATH)/bin)';
  const broken = await checkFerretDb(bin);
  if (broken) return broken;
  let reason = '';
  for (let i = 0; i < attempts; i += 1) {
    const dir = mkdtempSync(join(tmpdir(), 'ferretdb-'));
    const [logFile, port] = [join(dir, 'ferretdb.log'), await freePort()];
    const [dataDir, stateDir] = [join(dir, 'data'), join(dir, 'state')];
    mkdirSync(dataDir);
    mkdirSync(stateDir);
    const args = [
      '--handler=sqlite',
      `--sqlite-url=file:${dataDir}/`,
      `--listen-addr=127.0.0.1:${port}`,
      `--state-dir=${stateDir}`,
      '--telemetry=disable',
      '--debug-addr=-', // its default 127.0.0.1:8088 would clash between two test processes
      '--log-level=warn',
    ];
    const log = openSync(logFile, 'a');
    const child = spawn(bin, args, { stdio: ['ignore', log, log] });
    closeSync(log);
    child.unref(); // the root hook or the exit handler stops it; it must not keep the test process alive
    let exited = false;
    child.once('exit', () => (exited = true));
    const failure = await waitForPort(port, () =>
      exited ? `ferretdb exited: ${tail(logFile)}` : null,
    );
    if (child.pid) own(child.pid, dir);
    const pid = child.pid ?? 0;
    if (!failure) {
      return {
        url: `mongodb://127.0.0.1:${port}/`,
        stop: once(async () => (await stopPid(pid), removeDir(dir))),
      };
    }
    if (pid) await stopPid(pid);
    removeDir(dir);
    reason = failure;
  }
  return reason;
}
