import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchRedis, redisBin } from '../../support/localServers.js';
import { freePort, isAlive, removeDir, signal, stopPid } from '../../support/processes.js';

/**
 * A redis-server of the test's own on a fixed port, so it can be stopped and started again at the
 * same address (what a client sees of a real outage), or frozen with SIGSTOP (a server that keeps
 * its data but stops answering). Null when there is no redis-server binary.
 */
export const ownRedis = async () => {
  const bin = redisBin();
  if (!bin) return null;
  const dir = mkdtempSync(join(tmpdir(), 'redis-own-'));
  const port = await freePort();
  let pid = 0;
  const start = async () => {
    pid = await launchRedis(bin, port, dir);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    stop: async () => {
      if (isAlive(pid)) await stopPid(pid);
    },
    freeze: () => signal(pid, 'SIGSTOP'),
    thaw: () => signal(pid, 'SIGCONT'),
    remove: async () => {
      if (isAlive(pid)) {
        signal(pid, 'SIGCONT');
        await stopPid(pid);
      }
      removeDir(dir);
    },
  };
};
