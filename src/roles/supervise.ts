import { backoff } from '../application/backoff.js';
import type { Logger } from '../application/ports/index.js';
import { settledOnStop } from './running.js';
import type { Running } from './running.js';

/**
 * Keeps a consumer running: when it fails (a store or queue outage), it is started again from its
 * checkpoint after a pause that doubles up to 30 s and resets once it has run for a minute.
 */
export const supervise = async (
  name: string,
  start: () => Promise<Running> | Running,
  logger: Logger,
): Promise<Running & { current(): Running | undefined }> => {
  const stopped = settledOnStop();
  let current: Running | undefined;
  let stopping = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;

  const run = async (): Promise<void> => {
    const startedAt = Date.now();
    try {
      current = await start();
    } catch (error) {
      return retry(error, startedAt);
    }
    current.done.then(
      () => undefined,
      (error) => retry(error, startedAt),
    );
  };

  const retry = (error: unknown, startedAt: number) => {
    if (stopping) return;
    failures = Date.now() - startedAt > 60_000 ? 1 : failures + 1;
    const delayMs = backoff(failures - 1, { base: 250, max: 30_000 });
    logger.error(
      { err: error, consumer: name, delayMs },
      'consumer failed; restarting from its checkpoint',
    );
    timer = setTimeout(() => void run(), delayMs);
  };

  await run();
  return {
    current: () => current,
    stop: async () => {
      stopping = true;
      if (timer) clearTimeout(timer);
      await current?.stop().catch(() => undefined);
      stopped.resolve();
    },
    done: stopped.done,
  };
};
