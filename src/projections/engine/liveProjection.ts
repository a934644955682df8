import { randomUUID } from 'node:crypto';
import { backoff } from '../../application/backoff.js';
import { readCheckpoint } from '../../application/subscriptions/index.js';
import { isSwapping, owner, rebuildsOf, runnersOf } from './coordination.js';
import type { RunnerPresence } from './coordination.js';
import { startProjection } from './runner.js';
import type { ProjectionRunnerOptions, RunningProjection } from './runner.js';

export type LiveProjectionOptions = Omit<
  ProjectionRunnerOptions,
  'collection' | 'checkpointName' | 'beforeCommit'
> & {
  /** How often it looks for a rebuild asking to swap. */
  pollMs?: number;
  /** How long its presence counts without a heartbeat. */
  presenceTtlMs?: number;
};

export type LiveProjection = {
  /** Resolves the first time the projection has caught up with the log. */
  caughtUp: Promise<void>;
  state(): 'running' | 'paused' | 'restarting';
  stop(): Promise<void>;
};

class SwapPending extends Error {
  override name = 'SwapPending';
}

/**
 * The live runner of one projection: runs it from its checkpoint, restarts it after a failure
 * with a growing pause, and steps aside when a rebuild swaps: it stops after its commit in flight,
 * says so in its presence document, waits while the lease says `swapping`, then re-reads its
 * checkpoint (which the rebuild moved) and goes on. Presence is written before the lease is read,
 * and the rebuild writes `swapping` before it reads presence, so one always sees the other.
 */
export const startLiveProjection = async (
  options: LiveProjectionOptions,
): Promise<LiveProjection> => {
  const { projection, documents, clock, pollMs = 200, presenceTtlMs = 10_000 } = options;
  const name = projection.name;
  const logger = options.logger.child({ subscription: name });
  const runnerId = randomUUID();
  let running: RunningProjection | undefined;
  let pausedFor: string | undefined;
  let restartAt = 0;
  let attempt = 0;
  let stopping = false;
  let lastPresence = 0;
  let markCaughtUp: () => void = () => {};
  const caughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));

  const writePresence = async (fields: Pick<RunnerPresence, 'state'> & Partial<RunnerPresence>) => {
    const now = clock.now();
    await runnersOf(documents).put({
      _id: name,
      runnerId,
      owner: owner(),
      heartbeatAt: now.toISOString(),
      expiresAt: now.getTime() + presenceTtlMs,
      ...fields,
    });
    lastPresence = now.getTime();
  };
  const swapPending = async () => isSwapping(await rebuildsOf(documents).get(name), clock.now());

  const backOff = (error: unknown) => {
    const delayMs = backoff(attempt, { base: 250, max: 30_000 });
    attempt += 1;
    restartAt = clock.now().getTime() + delayMs;
    logger.error({ err: error, delayMs }, 'projection failed; restarting from its checkpoint');
  };

  const start = async () => {
    const run = await startProjection({
      ...options,
      logger: options.logger,
      // Between the poll that saw no swap and this commit, one may have begun.
      beforeCommit: async () => {
        if (await swapPending()) throw new SwapPending('a rebuild is swapping');
      },
    });
    running = run;
    void run.caughtUp.then(() => {
      attempt = 0;
      markCaughtUp();
    });
    run.done.catch((error: unknown) => {
      if (running !== run) return;
      running = undefined;
      if (!stopping && !(error instanceof SwapPending)) backOff(error);
    });
  };

  const pause = async (rebuildId: string) => {
    const run = running;
    running = undefined;
    // Its last flush may be refused by beforeCommit: those events come again after the swap.
    await run?.stop().catch(() => {});
    pausedFor = rebuildId;
    await writePresence({
      state: 'paused',
      pausedFor: rebuildId,
      position: (await readCheckpoint(documents, name)) ?? 0,
    });
    logger.info({ rebuildId }, 'paused for a rebuild to swap');
  };

  const tick = async () => {
    const lease = await rebuildsOf(documents).get(name);
    if (isSwapping(lease, clock.now())) {
      if (pausedFor !== lease!.rebuildId) await pause(lease!.rebuildId);
    } else {
      if (pausedFor) {
        logger.info({ rebuildId: pausedFor }, 'resuming after the rebuild');
        lastPresence = 0;
      }
      pausedFor = undefined;
      if (!running && !stopping && clock.now().getTime() >= restartAt) await start().catch(backOff);
    }
    if (clock.now().getTime() - lastPresence >= presenceTtlMs / 3) {
      await writePresence(pausedFor ? { state: 'paused', pausedFor } : { state: 'running' });
    }
  };

  let ticking: Promise<void> = Promise.resolve();
  let failing = false;
  const safeTick = () =>
    (ticking = ticking.then(tick).then(
      () => void (failing = false),
      (error: unknown) => {
        // Once per outage, not once per poll.
        if (!failing) logger.warn({ err: error }, 'projection coordination failed; trying again');
        failing = true;
      },
    ));

  await writePresence({ state: 'running' });
  await safeTick();
  const interval = setInterval(() => void safeTick(), pollMs);

  return {
    caughtUp,
    state: () => (pausedFor ? 'paused' : running ? 'running' : 'restarting'),
    stop: async () => {
      stopping = true;
      clearInterval(interval);
      await ticking;
      await running
        ?.stop()
        .catch((error: unknown) =>
          logger.warn({ err: error }, 'the last batch was not committed; it comes again on start'),
        );
      running = undefined;
      const presence = await runnersOf(documents).get(name);
      if (presence?.runnerId === runnerId) await runnersOf(documents).delete(name);
    },
  };
};
