export type NotifierSettings = {
  /** Shown in mails. */
  appName: string;
  /** ISO 4217 code amounts are shown in. */
  currency: string;
  /** Events turned into ledger entries per committed batch. */
  batchSize: number;
  /** Mails in flight at once (never two of one order). */
  concurrency: number;
  /** Longest the sender sleeps before looking for due mails that nothing woke it for. */
  pollIntervalMs: number;
  /** First retry delay after a transient failure; doubles per attempt up to `backoffMaxMs`, with jitter. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Attempts before a transiently failing mail is given up and shown with the dead letters. */
  maxAttempts: number;
  /** Longest one send may take before it counts as failed (its outcome is then unknown). */
  sendTimeoutMs: number;
  /**
   * How long a claimed mail belongs to the process that claimed it. A mail still claimed after
   * that was being sent by a process that died: its outcome is unknown and it is sent again.
   * Must exceed `sendTimeoutMs`.
   */
  leaseMs: number;
  /**
   * Events older than this when the notifier first sees them are recorded as skipped, not sent:
   * a notifier started without its checkpoint and ledger must not mail every customer their
   * whole history. 0 sends whatever the age.
   */
  staleAfterMs: number;
};

const positive = [
  'batchSize',
  'concurrency',
  'pollIntervalMs',
  'backoffBaseMs',
  'backoffMaxMs',
  'maxAttempts',
  'sendTimeoutMs',
  'leaseMs',
] as const;

/** Fails fast on a value that would break the guarantees; the defaults are the configuration's (config.ts). */
export const resolveNotifierSettings = (settings: NotifierSettings): NotifierSettings => {
  for (const name of positive) {
    const value = settings[name];
    if (!Number.isInteger(value) || value <= 0)
      throw new RangeError(`notifier ${name} must be a positive integer, got ${value}`);
  }
  if (!Number.isInteger(settings.staleAfterMs) || settings.staleAfterMs < 0) {
    throw new RangeError(
      `notifier staleAfterMs must be a non-negative integer, got ${settings.staleAfterMs}`,
    );
  }
  if (settings.backoffMaxMs < settings.backoffBaseMs)
    throw new RangeError('notifier backoffMaxMs must be at least backoffBaseMs');
  if (settings.leaseMs <= settings.sendTimeoutMs)
    throw new RangeError('notifier leaseMs must exceed sendTimeoutMs');
  // Throws a RangeError for anything Intl does not know.
  new Intl.NumberFormat('en-US', { style: 'currency', currency: settings.currency });
  return settings;
};
