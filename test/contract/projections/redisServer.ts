import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileAsync, freePort, isAlive, isExecutable, onPath, own, removeDir, stopPid, waitForPort } from '../../support/processes.js';

/**
 * A redis-server of the test's own on a fixed port, so it can be stopped and started again at the
 * same address (what a client sees of a real outage), or frozen with SIGSTOP (a server that keeps
 * its data but stops answering). Null when there is no redis-server binary.
 */
export const ownRedis = async () => {
  const bin = process.env.REDIS_SERVER_BIN ?? onPath('redis-server');
  if (!bin || !isExecutable(bin)) return null;
  const dir = mkdtempSync(join(tmpdir(), 'redis-own-'));
  const port = await freePort();
  const pidFile = join(dir, 'redis.pid');
  const pid = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : 0);
  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes', '--pidfile', pidFile, '--dir', dir];
    await execFileAsync(bin, args);
    const failure = await waitForPort(port, () => (pid() && !isAlive(pid()) ? 'redis-server exited' : null));
    if (failure) throw new Error(failure);
    own(pid(), dir);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    stop: async () => {
      const running = pid();
      if (running) await stopPid(running);
    },
    freeze: () => process.kill(pid(), 'SIGSTOP'),
    thaw: () => process.kill(pid(), 'SIGCONT'),
    remove: async () => {
      const running = pid();
      if (running && isAlive(running)) {
        process.kill(running, 'SIGCONT');
        await stopPid(running);
      }
      removeDir(dir);
    },
  };
};
