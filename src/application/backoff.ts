export type BackoffOptions = {
  /** The first retry's delay; the result is in the same unit (ms or s, as the caller needs). */
  base: number;
  /** No delay is longer, jitter included (none when absent: the caller bounds its retries). */
  max?: number;
  /** Doublings stop here, so a long outage does not overflow to Infinity before `max` applies. */
  maxDoublings?: number;
  /** "Equal jitter": half the delay fixed, half random, so many clients retrying spread out. */
  jitter?: boolean;
  /** In [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
};

/**
 * Exponential backoff: `base` doubled once per retry after the first (`retry` counts from 0;
 * below 0 counts as 0), capped at `max`. Every retry loop in the service uses this one formula.
 */
export const backoff = (
  retry: number,
  {
    base,
    max = Infinity,
    maxDoublings = Infinity,
    jitter = false,
    random = Math.random,
  }: BackoffOptions,
): number => {
  const ceiling = Math.min(max, base * 2 ** Math.min(maxDoublings, Math.max(0, retry)));
  return jitter ? ceiling / 2 + (ceiling / 2) * random() : ceiling;
};
