import { LRUCache } from 'lru-cache';

export type Snapshot<State> = { state: State; revision: number };

/**
 * Recently used aggregates with the revision they reflect. A hit still reads the events after that
 * revision, so another process's appends are never missed; the cache only saves folding from zero,
 * which matters for hot products that gain a reservation event per order.
 */
export class AggregateCache<State> {
  private readonly entries: LRUCache<string, Snapshot<State>>;

  constructor(maxStreams = 10_000) {
    this.entries = new LRUCache({ max: maxStreams });
  }

  get(streamId: string): Snapshot<State> | undefined {
    return this.entries.get(streamId);
  }

  /** Keeps the newer of what is cached and what is offered. */
  set(streamId: string, snapshot: Snapshot<State>): void {
    const cached = this.entries.get(streamId);
    if (!cached || cached.revision < snapshot.revision) this.entries.set(streamId, snapshot);
  }

  delete(streamId: string): void {
    this.entries.delete(streamId);
  }
}
