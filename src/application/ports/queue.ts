/**
 * A FIFO work queue with SQS semantics: messages in one group are delivered in order; a received
 * message is invisible for `visibilityTimeoutSeconds` and comes back unless acknowledged; past
 * `maxReceiveCount` receives it moves to the dead letters.
 */
export type OutgoingMessage = {
  /** Deduplication id: sending the same id again within the dedup window is a no-op. */
  id: string;
  /** Ordering group (the order id): one in-flight message per group at a time. */
  groupId: string;
  body: string;
  attributes?: Readonly<Record<string, string>>;
};

export type ReceivedMessage = {
  id: string;
  groupId: string;
  body: string;
  attributes: Readonly<Record<string, string>>;
  /** How many times it has been received, this time included. */
  receiveCount: number;
  /** Opaque handle for acknowledge/release/deadLetter. */
  receipt: string;
};

export type ReceiveOptions = {
  maxMessages: number;
  waitSeconds: number;
  visibilityTimeoutSeconds?: number;
};

export type DeadLetter = {
  id: string;
  groupId: string;
  body: string;
  attributes: Readonly<Record<string, string>>;
  reason: string;
  receiveCount: number;
  deadLetteredAt: Date;
};

export interface Queue {
  /** Sends in batches; resolves once the queue has accepted every message. */
  send(messages: readonly OutgoingMessage[]): Promise<void>;
  receive(options: ReceiveOptions): Promise<ReceivedMessage[]>;
  acknowledge(message: ReceivedMessage): Promise<void>;
  /** Makes it visible again after `delaySeconds` (backoff for transient errors). */
  release(message: ReceivedMessage, delaySeconds: number): Promise<void>;
  /** Moves it to the dead letters at once, with the reason. */
  deadLetter(message: ReceivedMessage, reason: string): Promise<void>;
  listDeadLetters(limit?: number): Promise<DeadLetter[]>;
  /** Moves dead letters back to the queue (all, or those named); returns how many moved. */
  redrive(ids?: readonly string[]): Promise<number>;
  /** Approximate visible + in-flight messages, and dead letters. */
  depth(): Promise<{ ready: number; inFlight: number; deadLetters: number }>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
