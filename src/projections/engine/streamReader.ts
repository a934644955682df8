import { canHandle } from '../../application/ports/index.js';
import type { EventStore, Recorded } from '../../application/ports/index.js';
import { createStreamFolder } from '../../application/streamFolder.js';
import type { ProjectedDoc } from './projection.js';

/**
 * Reads one entity's document straight from its stream: always as fresh as the log, and folded
 * from where it was last read rather than from zero (the one stream folder of the application).
 */
export const createStreamDocumentReader = <
  D extends ProjectedDoc,
  E extends { type: string; data: unknown },
>(
  eventStore: EventStore,
  eventTypes: readonly E['type'][],
  evolve: (doc: D | null, event: Recorded<E>) => D | null,
  maxEntries = 10_000,
) => {
  const handles = canHandle<E>(eventTypes);
  const folder = createStreamFolder<D | null>({
    eventStore,
    evolve: (doc, event) => (handles(event) ? evolve(doc, event) : doc),
    initialState: () => null,
    maxStreams: maxEntries,
  });
  return async (streamId: string): Promise<D | null> => (await folder.load(streamId)).state;
};
