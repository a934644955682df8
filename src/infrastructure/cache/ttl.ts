/** TTLs are seconds in the port; both adapters refuse the same bad values rather than guess. */
export function ttlMs(ttlSeconds: number): number {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError(`ttl must be a positive number of seconds, got ${ttlSeconds}`);
  }
  return Math.max(1, Math.round(ttlSeconds * 1000));
}

/** Rounded to the nearest second as Redis's TTL does, but never 0 for a key that still exists. */
export const secondsLeft = (ms: number): number => Math.max(1, Math.round(ms / 1000));
