import type { EventStore } from '../ports/index.js';
import { upcast } from './upcast.js';
import type { UpcasterRegistry } from './upcast.js';

/**
 * The event store as every reader should see it: each event read, by stream, by page of the log
 * or by subscription, arrives in the current schema. Wrapping the store once, where it is bound,
 * covers command handling, projections, timelines and exports alike; appends pass straight through.
 */
export const withUpcasting = (eventStore: EventStore, registry: UpcasterRegistry): EventStore => ({
  append: (streamId, events, expectedRevision) =>
    eventStore.append(streamId, events, expectedRevision),
  readStream: async (streamId, options) =>
    (await eventStore.readStream(streamId, options)).map((event) => upcast(event, registry)),
  readAll: async (options) =>
    (await eventStore.readAll(options)).map((event) => upcast(event, registry)),
  subscribe: (options) =>
    eventStore.subscribe({
      ...options,
      onEvent: (event) => options.onEvent(upcast(event, registry)),
    }),
  headPosition: () => eventStore.headPosition(),
  close: () => eventStore.close(),
});
