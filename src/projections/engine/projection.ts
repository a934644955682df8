import type { Doc, Recorded } from '../../application/ports/index.js';

type DomainEvent = { type: string; data: unknown };

/** Every read-model document remembers the newest event it reflects, so replays change nothing. */
export type ProjectedDoc = Doc & { _position: number };

/**
 * A read model: pure and idempotent. `evolve` gets the current document (or null) and an event
 * newer than it, and returns the new document (null: nothing to store). The runner applies it only
 * when the event is newer than the document's `_position`.
 */
export type Projection<
  D extends ProjectedDoc = ProjectedDoc,
  E extends DomainEvent = DomainEvent,
> = {
  /** Subscription name: the checkpoint key, the metric label and the log field. */
  name: string;
  /** Collection the live documents are kept in (no dots: FerretDB cannot rename those). */
  collection: string;
  /** The events it handles: the subscription reads only these, and the engine narrows to them. */
  eventTypes: readonly E['type'][];
  /**
   * A helper document of this projection that an event needs beside it: evolved first, then
   * handed (as it stands after the event, or newer on a replay) to documentIds and evolve of the
   * others. How a status event without data learns an order's lines, for instance.
   */
  contextId?(event: Recorded<E>): string | undefined;
  /** Ids of the documents an event changes (none when it does not concern this projection). */
  documentIds(event: Recorded<E>, context: D | null): readonly string[];
  evolve(doc: D | null, event: Recorded<E>, id: string, context: D | null): D | null;
  indexes?: ReadonlyArray<{ fields: readonly string[]; unique?: boolean }>;
};

/** A read model before the register of subscriptions (src/subscriptions.ts) gives it its name. */
export type ReadModel<
  D extends ProjectedDoc = ProjectedDoc,
  E extends DomainEvent = DomainEvent,
> = Omit<Projection<D, E>, 'name'>;

export const named = <D extends ProjectedDoc, E extends DomainEvent>(
  name: string,
  readModel: ReadModel<D, E>,
): Projection<D, E> => ({
  name,
  ...readModel,
});

/** Internal fields start with `_` (other than `_id`) and never reach a client. */
export const publicView = <D extends Doc>(doc: D): Record<string, unknown> =>
  Object.fromEntries(Object.entries(doc).filter(([key]) => key === '_id' || !key.startsWith('_')));

export const iso = (date: Date) => date.toISOString();
