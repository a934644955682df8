import type { DocumentStore, EventStore } from '../../../src/application/ports/index.js';
import { readCheckpoint } from '../../../src/projections/index.js';
import type { Projection } from '../../../src/projections/index.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds; the bound guards a hang, it measures nothing. */
export const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
};

/** The newest event a projection cares about: a caught-up runner's checkpoint stops there, not at the head. */
export const lastOf = async (eventStore: EventStore, projection: Projection) =>
  (
    await eventStore.readAll({ direction: 'backwards', maxCount: 1, types: projection.eventTypes })
  )[0]?.position ?? 0;

/** Until every named projection's stored checkpoint has reached the newest event it cares about. */
export const untilCaughtUp = async (
  eventStore: EventStore,
  documents: DocumentStore,
  projections: readonly Projection[],
) => {
  const targets = await Promise.all(projections.map((p) => lastOf(eventStore, p)));
  await until('the projections to catch up', async () =>
    (await Promise.all(projections.map((p) => readCheckpoint(documents, p.name)))).every(
      (at, i) => (at ?? 0) >= targets[i]!,
    ),
  );
};
