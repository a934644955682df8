import type { Doc, DocumentStore } from '../application/ports/index.js';

/** Where a subscription has got to: every event at or before `position` is reflected. */
export type Checkpoint = Doc & { position: number; updatedAt: string };

export const CHECKPOINTS = 'checkpoints';

export const readCheckpoint = async (documents: DocumentStore, name: string): Promise<number | undefined> =>
  (await documents.collection<Checkpoint>(CHECKPOINTS).get(name))?.position;

export const checkpointDoc = (name: string, position: number, now: Date): Checkpoint => ({
  _id: name,
  position,
  updatedAt: now.toISOString(),
});

/**
 * Resolves true once `name` has reached `position`, false after `timeoutMs`. It polls the stored
 * checkpoint, so it works whether the projector runs in this process or in another one.
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
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
};
