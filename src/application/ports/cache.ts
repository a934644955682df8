/**
 * Cache and counters: order lookups, OTPs, rate limits, idempotency keys.
 * Values are strings (callers serialise); every key may carry a TTL in seconds.
 */
export interface Cache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  /** Sets only when absent; returns whether it set. The building block for locks and idempotency keys. */
  setIfAbsent(key: string, value: string, ttlSeconds?: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Adds 1 and returns the new count; the TTL starts with the first increment of a window. */
  increment(key: string, ttlSeconds: number): Promise<number>;
  /** Seconds left before the key expires; null when it does not exist or never expires. */
  ttl(key: string): Promise<number | null>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
