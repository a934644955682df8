import { LRUCache } from 'lru-cache';
import type { EventStore, RecordedEvent } from './ports/index.js';

/** A stream folded up to a revision (-1: the stream has no events yet). */
export type Folded<State> = { state: State; revision: number };

export type StreamFolder<State> = {
  /** The stream as the log holds it now: the remembered fold, then one read of the tail after it. */
  load(streamId: string): Promise<Folded<State>>;
  /** `from` with the events appended after its revision folded in; remembered when it moved. */
  catchUp(streamId: string, from: Folded<State>): Promise<Folded<State>>;
  /** What was last folded for the stream, without reading it. */
  remembered(streamId: string): Folded<State> | undefined;
  /** What a writer knows after its append; kept only if newer than what is remembered. */
  remember(streamId: string, folded: Folded<State>): void;
  /** The state of a stream with no events. */
  initial(): Folded<State>;
};

/**
 * Folds streams through an LRU of (state, revision): a hit still reads the events after that
 * revision, so another process's appends are never missed; it only saves folding from zero, which
 * matters for hot products that gain an event per order. One mechanism for the command handler,
 * the stream-fresh document reads and the notifier's product names.
 */
export const createStreamFolder = <State>({
  eventStore,
  evolve,
  initialState,
  maxStreams = 10_000,
}: {
  eventStore: EventStore;
  evolve: (state: State, event: RecordedEvent) => State;
  initialState: () => State;
  maxStreams?: number;
}): StreamFolder<State> => {
  const entries = new LRUCache<string, Folded<State>>({ max: maxStreams });
  const initial = (): Folded<State> => ({ state: initialState(), revision: -1 });
  const remember = (streamId: string, folded: Folded<State>) => {
    const cached = entries.get(streamId);
    if (!cached || cached.revision < folded.revision) entries.set(streamId, folded);
  };
  const catchUp = async (streamId: string, from: Folded<State>): Promise<Folded<State>> => {
    const newer = await eventStore.readStream(streamId, { fromRevision: from.revision + 1 });
    if (newer.length === 0) return from;
    const folded = { state: newer.reduce(evolve, from.state), revision: newer.at(-1)!.revision };
    remember(streamId, folded);
    return folded;
  };
  return {
    load: (streamId) => catchUp(streamId, entries.get(streamId) ?? initial()),
    catchUp,
    remembered: (streamId) => entries.get(streamId),
    remember,
    initial,
  };
};
