import type { Doc, DocumentStore, WriteOp } from '../ports/index.js';

/** Where a subscription has got to: every event at or before `position` is reflected. */
export type Checkpoint = Doc & { position: number; updatedAt: string };

export const CHECKPOINTS = 'checkpoints';

export const readCheckpoint = async (
  documents: DocumentStore,
  name: string,
): Promise<number | undefined> =>
  (await documents.collection<Checkpoint>(CHECKPOINTS).get(name))?.position;

/** The write that records a checkpoint, to put in the same bulk write as what it covers. */
export const checkpointWrite = (name: string, position: number, now: Date): WriteOp => ({
  collection: CHECKPOINTS,
  put: { _id: name, position, updatedAt: now.toISOString() } satisfies Checkpoint,
});

export const saveCheckpoint = (
  documents: DocumentStore,
  name: string,
  position: number,
  now: Date,
) => documents.bulkWrite([checkpointWrite(name, position, now)]);

/**
 * Resolves true once every named subscription has reached `position`, false after `timeoutMs`.
 * It polls the stored checkpoints, so it works whether the consumer runs here or in another process.
 */
export const waitForCheckpoint = async (
  documents: DocumentStore,
  names: readonly string[],
  position: number,
  timeoutMs: number,
  intervalMs = 10,
): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reached = await Promise.all(names.map((name) => readCheckpoint(documents, name)));
    if (reached.every((at) => at !== undefined && at >= position)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))),
    );
  }
};
