import { randomUUID } from 'node:crypto';
import type { Clock, DocumentStore, EventStore, Logger } from '../../application/ports/index.js';
import {
  checkpointWrite,
  CHECKPOINTS,
  readCheckpoint,
} from '../../application/subscriptions/index.js';
import { bulkLoad } from './bulkLoad.js';
import { acquireLease, isLive, LeaseLost, owner, renewLease, runnersOf } from './coordination.js';
import type { RebuildLease, RebuildState } from './coordination.js';
import type { Projection } from './projection.js';
import { startProjection } from './runner.js';
import type { RunningProjection } from './runner.js';

export type RebuildPhase = 'loading' | 'catching up' | 'swapping' | RebuildState;
export type RebuildProgress = {
  phase: RebuildPhase;
  position: number;
  head: number;
  events: number;
};

export type RebuildOptions = {
  projection: Projection;
  eventStore: EventStore;
  documents: DocumentStore;
  clock: Clock;
  logger: Logger;
  /** How long the lease holds without a heartbeat; a rebuild silent for longer is void. */
  leaseMs?: number;
  pollMs?: number;
  /** Longest wait for a live runner to pause, or the shadow to reach the live checkpoint. */
  swapTimeoutMs?: number;
  pageSize?: number;
  maxBufferedDocs?: number;
  onProgress?: (progress: RebuildProgress) => void;
};

export type RunningRebuild = {
  id: string;
  /** Resolves with the final lease (state `done`); rejects when the rebuild failed or was aborted. */
  done: Promise<RebuildLease>;
  abort(): Promise<void>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Shadow names have no dots: FerretDB 1.x cannot rename a collection whose name has one. */
/** The checkpoint of a rebuild's shadow copy: `rebuild.<projection>.<rebuild id>`. */
export const rebuildCheckpointName = (projection: string, rebuildId: string) =>
  `rebuild.${projection}.${rebuildId}`;

const shadowPrefix = (projection: Projection) => `${projection.collection}_rebuild_`;

/**
 * Rebuilds a projection beside the live one: takes the lease (or throws RebuildRunning: 409), fills
 * a fresh shadow from position 0, follows live writes into it, then swaps: asks the live runner
 * (wherever it runs) to pause, catches the shadow up to the live checkpoint, renames shadow → live
 * and moves the checkpoint. The live collection is only touched by that rename, so a rebuild that
 * dies or is aborted before it leaves the live model as it was; its lease expires, and the next
 * rebuild drops the orphaned shadow and starts from 0.
 */
export const startRebuild = async (options: RebuildOptions): Promise<RunningRebuild> => {
  const {
    projection,
    eventStore,
    documents,
    clock,
    leaseMs = 15_000,
    pollMs = 100,
    swapTimeoutMs = 60_000,
  } = options;
  const id = randomUUID();
  const name = projection.name;
  const logger = options.logger.child({ subscription: name, rebuildId: id });
  const shadow = `${shadowPrefix(projection)}${id.slice(0, 8)}`;
  const shadowCheckpoint = rebuildCheckpointName(name, id);
  const now = clock.now();
  let lease: RebuildLease = {
    _id: name,
    rebuildId: id,
    state: 'running',
    shadow,
    owner: owner(),
    startedAt: now.toISOString(),
    heartbeatAt: now.toISOString(),
    expiresAt: now.getTime() + leaseMs,
    position: 0,
    head: (await eventStore.headPosition()) ?? 0,
    events: 0,
  };
  await acquireLease(documents, lease, now);

  let aborted = false;
  let lost: unknown;
  let writing: Promise<void> = Promise.resolve();
  const update = (fields: Partial<RebuildLease>) => {
    const at = clock.now();
    lease = {
      ...lease,
      ...fields,
      heartbeatAt: at.toISOString(),
      expiresAt: at.getTime() + leaseMs,
    };
    const next = lease;
    writing = writing
      .then(() => renewLease(documents, next))
      .catch((error: unknown) => void (lost ??= error));
    return writing;
  };
  const check = () => {
    if (lost) throw lost;
    if (aborted) throw new Error('the rebuild was aborted');
  };
  const report = (phase: RebuildPhase) =>
    options.onProgress?.({
      phase,
      position: lease.position,
      head: lease.head,
      events: lease.events,
    });
  const beat = async () =>
    update({ head: Math.max(lease.head, (await eventStore.headPosition()) ?? 0) });
  const heartbeat = setInterval(() => void beat().catch(() => {}), Math.max(10, leaseMs / 3));
  let shadowRun: RunningProjection | undefined;

  const waitFor = async (what: string, ready: () => Promise<boolean>) => {
    const deadline = Date.now() + swapTimeoutMs;
    while (!(await ready())) {
      check();
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(pollMs);
    }
  };

  const run = async (): Promise<RebuildLease> => {
    for (const stale of (await documents.listCollections()).filter((c) =>
      c.startsWith(shadowPrefix(projection)),
    ))
      await documents.drop(stale);
    const loaded = await bulkLoad({
      ...options,
      collection: shadow,
      onPage: ({ position, events }) => {
        check();
        // The heartbeat carries progress to the lease; a write per page would only slow the load.
        lease = { ...lease, position, events, head: Math.max(lease.head, position) };
        report('loading');
      },
    });
    await documents.bulkWrite([checkpointWrite(shadowCheckpoint, loaded.position, clock.now())]);
    check();
    report('catching up');
    shadowRun = await startProjection({
      ...options,
      collection: shadow,
      checkpointName: shadowCheckpoint,
    });
    await Promise.race([shadowRun.caughtUp, shadowRun.done]);
    await update({ state: 'swapping', position: shadowRun.position() ?? loaded.position });
    check();
    report('swapping');
    const runner = await runnersOf(documents).get(name);
    if (isLive(runner, clock.now())) {
      await waitFor('the live runner to pause', async () => {
        const presence = await runnersOf(documents).get(name);
        return (
          !isLive(presence, clock.now()) ||
          (presence!.state === 'paused' && presence!.pausedFor === id)
        );
      });
    }
    const live = (await readCheckpoint(documents, name)) ?? 0;
    await waitFor(
      'the shadow to reach the live checkpoint',
      async () => (shadowRun!.position() ?? 0) >= live,
    );
    await shadowRun.stop();
    const position = shadowRun.position() ?? live;
    await update({});
    await writing;
    check();
    await documents.rename(shadow, projection.collection);
    // Never behind the live checkpoint: a crash before this write replays events the rebuilt documents already reflect.
    await documents.bulkWrite([
      checkpointWrite(name, position, clock.now()),
      { collection: CHECKPOINTS, delete: shadowCheckpoint },
    ]);
    await update({
      state: 'done',
      position,
      head: Math.max(lease.head, position),
      finishedAt: clock.now().toISOString(),
    });
    await writing;
    report('done');
    logger.info({ position, events: lease.events }, 'rebuild swapped in');
    return lease;
  };

  const fail = async (error: unknown): Promise<never> => {
    await shadowRun?.stop().catch(() => {});
    if (!(lost instanceof LeaseLost)) {
      const state: RebuildState = aborted ? 'aborted' : 'failed';
      await update({
        state,
        error: error instanceof Error ? error.message : String(error),
        finishedAt: clock.now().toISOString(),
      });
      await writing;
      await documents.drop(shadow).catch(() => {});
      await documents
        .bulkWrite([{ collection: CHECKPOINTS, delete: shadowCheckpoint }])
        .catch(() => {});
      report(state);
    }
    logger.warn({ err: error }, 'rebuild did not complete');
    throw error;
  };

  const done = run()
    .catch(fail)
    .finally(() => clearInterval(heartbeat));
  return {
    id,
    done,
    abort: async () => {
      aborted = true;
      await done.catch(() => {});
    },
  };
};
