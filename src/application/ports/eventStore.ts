/**
 * The event log: the one source of truth. Streams are ordered by `revision` (0-based, per stream);
 * the whole log by `position` (global, strictly increasing, never reused).
 */

export type EventMetadata = {
  /** Who caused it: the acting user's id, or a service name such as `processor`. */
  userId?: string;
  /** The acting user's role, for audit trails. */
  role?: string;
  /** The request or order that started the chain. */
  correlationId?: string;
  /** The event or command that directly caused this one. */
  causationId?: string;
  requestId?: string;
  schemaVersion?: number;
  [key: string]: unknown;
};

/** An event about to be appended. `id` makes appends idempotent: choose it deterministically where a retry may repeat it. */
export type NewEvent = { id: string; type: string; data: unknown; metadata: EventMetadata };

export type RecordedEvent<Type extends string = string, Data = unknown> = {
  id: string;
  type: Type;
  data: Data;
  streamId: string;
  revision: number;
  position: number;
  recordedAt: Date;
  metadata: EventMetadata;
};

/**
 * A recorded event narrowed to one member of a domain union: the union's type and data, the log's
 * envelope. Distributes over the union, so narrowing on `type` narrows `data` too.
 */
export type Recorded<E extends { type: string; data: unknown }> = E extends unknown
  ? Omit<RecordedEvent, 'type' | 'data'> & { type: E['type']; data: E['data'] }
  : never;

/**
 * Emmett's canHandle: narrows what the log hands over to a domain union by its type. The log holds
 * only what the deciders decided, read through upcasting into the current shape, so the type is
 * the whole proof.
 */
export const canHandle =
  <E extends { type: string; data: unknown }>(types: readonly E['type'][]) =>
  (event: RecordedEvent): event is Recorded<E> =>
    (types as readonly string[]).includes(event.type);

/** `no_stream`: the stream must not exist; `stream_exists`: it must; `any`: no check; a number: its last revision. */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | number;

export type AppendResult = {
  /** Revision of the last event appended (the stream's new revision). */
  nextRevision: number;
  /** Global position of the last event appended. */
  position: number;
  /**
   * When the stream's last event was recorded, as its reads will say, so that a writer can answer
   * with what it wrote without reading it back. Every store gives it (one that cannot stamp the
   * events itself reads it back); absent only for an empty append to a stream that does not exist.
   */
  recordedAt?: Date;
};

export type ReadStreamOptions = {
  direction?: 'forwards' | 'backwards';
  /** Inclusive. Forwards default 0; backwards default the end. */
  fromRevision?: number;
  maxCount?: number;
};

export type ReadAllOptions = {
  direction?: 'forwards' | 'backwards';
  /** Exclusive: events after this position (forwards) or before it (backwards). Forwards default: the start. */
  after?: number;
  maxCount?: number;
  /** Only these event types. */
  types?: readonly string[];
  /** Only streams whose id starts with this. */
  streamPrefix?: string;
};

export type SubscribeOptions = {
  /** Exclusive checkpoint: deliver events after this position; undefined = from the start. */
  after?: number;
  types?: readonly string[];
  /**
   * Called once per event, in position order; the next event waits for the returned promise.
   * A thrown error stops the subscription and rejects `done`.
   */
  onEvent: (event: RecordedEvent) => Promise<void>;
  /**
   * Called each time the subscription reaches the head of the log, with the position it scanned up to
   * (at or past the last delivered event, since filtered-out events count too).
   */
  onCaughtUp?: (position: number | undefined) => void;
};

export type Subscription = {
  /** Stops delivering; resolves once the handler in flight has finished. */
  stop(): Promise<void>;
  /** Settles when the subscription ends: resolves on stop(), rejects when a handler or the store fails. */
  done: Promise<void>;
};

export interface EventStore {
  /**
   * Appends atomically; throws ConcurrencyError when `expectedRevision` does not hold, unless the
   * same event ids were already appended at that revision: then it returns the same result and
   * writes nothing. That is the only idempotency callers may rely on: SQLite keeps ids unique across
   * the log, EventStoreDB only deduplicates a retry at the same expected revision.
   * An empty `events` checks the revision and returns the stream's current revision and position.
   */
  append(
    streamId: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult>;
  /** The stream's events; an empty array when it does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** A page of the global log. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch-up from `after`, then live. */
  subscribe(options: SubscribeOptions): Subscription;
  /** Position of the newest event in the log, or undefined when it is empty. */
  headPosition(): Promise<number | undefined>;
  close(): Promise<void>;
}
