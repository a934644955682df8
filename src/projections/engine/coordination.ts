import { hostname } from 'node:os';
import type { Doc, DocumentStore } from '../../application/ports/index.js';
import { Conflict } from '../../domain/shared/index.js';

/**
 * How a rebuild and the live runner of the same projection, possibly in different processes, agree
 * through the document store. Each document has one writer:
 * - `projectionRebuilds/<name>`: the rebuild's lease, written only by the rebuild that holds it
 *   (compare-and-set on `rebuildId`). A heartbeat keeps it; once `expiresAt` passes, it is void.
 * - `projectionRunners/<name>`: the live runner's presence, with its own heartbeat, and its answer
 *   to a swap: `paused` for that rebuild, at the position it stopped.
 */
export const REBUILDS = 'projectionRebuilds';
export const RUNNERS = 'projectionRunners';

export type RebuildState = 'running' | 'swapping' | 'done' | 'failed' | 'aborted';

export type RebuildLease = Doc & {
  rebuildId: string;
  state: RebuildState;
  shadow: string;
  owner: string;
  startedAt: string;
  heartbeatAt: string;
  expiresAt: number;
  /** Log position the shadow has reached, the head when last looked, events applied. */
  position: number;
  head: number;
  events: number;
  finishedAt?: string;
  error?: string;
};

export type RunnerPresence = Doc & {
  runnerId: string;
  owner: string;
  state: 'running' | 'paused';
  heartbeatAt: string;
  expiresAt: number;
  /** Set while paused: the rebuild it paused for, and the checkpoint it stopped at. */
  pausedFor?: string;
  position?: number;
};

export const owner = () => `${hostname()}:${process.pid}`;
export const isLive = (doc: { expiresAt: number } | null, now: Date): boolean =>
  doc !== null && doc.expiresAt > now.getTime();
export const isActiveRebuild = (lease: RebuildLease | null, now: Date): boolean =>
  lease !== null && (lease.state === 'running' || lease.state === 'swapping') && isLive(lease, now);
export const isSwapping = (lease: RebuildLease | null, now: Date) =>
  isActiveRebuild(lease, now) && lease!.state === 'swapping';

export const rebuildsOf = (documents: DocumentStore) =>
  documents.collection<RebuildLease>(REBUILDS);
export const runnersOf = (documents: DocumentStore) =>
  documents.collection<RunnerPresence>(RUNNERS);

/** A second rebuild of a projection while one runs: 409. */
export class RebuildRunning extends Conflict {
  constructor(readonly lease: RebuildLease) {
    super(
      `a rebuild of ${lease._id} is already running (${lease.rebuildId}, started ${lease.startedAt})`,
    );
  }
}

/** The lease went to another rebuild (ours expired): this one must stop touching anything. */
export class LeaseLost extends Error {
  override name = 'LeaseLost';
}

/**
 * Takes the lease, or refuses with RebuildRunning. putIf compares `rebuildId`, so of two takers
 * only one wins (on stores where putIf is atomic; on FerretDB 1.x both may, a documented gap).
 */
export const acquireLease = async (
  documents: DocumentStore,
  lease: RebuildLease,
  now: Date,
): Promise<void> => {
  const rebuilds = rebuildsOf(documents);
  const current = await rebuilds.get(lease._id);
  if (current && isActiveRebuild(current, now)) throw new RebuildRunning(current);
  const won = await rebuilds.putIf(lease, 'rebuildId', current?.rebuildId);
  if (!won) throw new RebuildRunning((await rebuilds.get(lease._id)) ?? lease);
};

/** Writes the lease if this rebuild still holds it. */
export const renewLease = async (documents: DocumentStore, lease: RebuildLease): Promise<void> => {
  if (!(await rebuildsOf(documents).putIf(lease, 'rebuildId', lease.rebuildId))) {
    throw new LeaseLost(`the rebuild lease of ${lease._id} was taken over`);
  }
};
