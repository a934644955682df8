import { backoff } from '../../application/backoff.js';
import type { Doc } from '../../application/ports/index.js';
import type { OrderMailKind } from '../../application/notifications/index.js';
import type { OrderLine } from '../../domain/orders/index.js';
import type { NotifierSettings } from './settings.js';

export const EMAIL_LEDGER = 'emailLedger';

/**
 * pending → sending → sent; sending → pending (transient failure, retried later) or failed
 * (permanent, or out of attempts); skipped when the event was too old to notify about.
 */
export type EmailStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

/**
 * One email per causing event, keyed by that event's id. It holds ids and the order's facts
 * (no personal data): the address and name are read from accounts at send time, so erasing an
 * account leaves nothing of the person here.
 */
export type EmailEntry = Doc & {
  kind: OrderMailKind;
  eventType: string;
  /** The causing event's global position: mails of one order go out in this order. */
  position: number;
  orderId: string;
  userId: string;
  correlationId: string | null;
  reason: string | null;
  items: OrderLine[];
  totalAmount: number;
  status: EmailStatus;
  attempts: number;
  /** ISO time the next attempt is due (pending). */
  nextAttemptAt: string;
  /** ISO time the claim of the process sending it runs out (sending). */
  leaseUntil: string | null;
  lastError: string | null;
  messageId: string | null;
  /** Times it was sent again because a process died while sending it (at-least-once). */
  inDoubt: number;
  /** Bumped by every change; each update is conditional on it. */
  version: number;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  failedAt: string | null;
};

const iso = (date: Date) => date.toISOString();
const later = (now: Date, ms: number) => new Date(now.getTime() + ms).toISOString();

/** Addresses appear in some SES errors; the ledger and the logs keep none. */
export const redact = (message: string): string =>
  message.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '<address>').slice(0, 500);

const touched = (entry: EmailEntry, now: Date): Pick<EmailEntry, 'version' | 'updatedAt'> => ({
  version: entry.version + 1,
  updatedAt: iso(now),
});

/** Claimed for one attempt: a process that dies now leaves it `sending` until the lease ends. */
export const claimed = (entry: EmailEntry, now: Date, leaseMs: number): EmailEntry => ({
  ...entry,
  ...touched(entry, now),
  status: 'sending',
  attempts: entry.attempts + 1,
  leaseUntil: later(now, leaseMs),
  inDoubt: entry.inDoubt + (entry.status === 'sending' ? 1 : 0),
});

export const sent = (entry: EmailEntry, now: Date, messageId: string): EmailEntry => ({
  ...entry,
  ...touched(entry, now),
  status: 'sent',
  leaseUntil: null,
  messageId,
  sentAt: iso(now),
});

export const failed = (entry: EmailEntry, now: Date, error: string): EmailEntry => ({
  ...entry,
  ...touched(entry, now),
  status: 'failed',
  leaseUntil: null,
  lastError: redact(error),
  failedAt: iso(now),
});

export const retried = (
  entry: EmailEntry,
  now: Date,
  error: string,
  delayMs: number,
): EmailEntry => ({
  ...entry,
  ...touched(entry, now),
  status: 'pending',
  leaseUntil: null,
  lastError: redact(error),
  nextAttemptAt: later(now, delayMs),
});

/** Exponential with "equal jitter": half fixed, half random, so retries of many mails spread out. */
export const backoffMs = (
  attempts: number,
  { backoffBaseMs, backoffMaxMs }: Pick<NotifierSettings, 'backoffBaseMs' | 'backoffMaxMs'>,
  random: () => number = Math.random,
): number =>
  Math.round(
    backoff(attempts - 1, {
      base: backoffBaseMs,
      max: backoffMaxMs,
      maxDoublings: 30,
      jitter: true,
      random,
    }),
  );

/** After a failed attempt: retry later, or give up. */
export const afterFailure = (
  entry: EmailEntry,
  now: Date,
  failure: { permanent: boolean; message: string },
  settings: Pick<NotifierSettings, 'backoffBaseMs' | 'backoffMaxMs' | 'maxAttempts'>,
  random?: () => number,
): EmailEntry => {
  if (failure.permanent) return failed(entry, now, failure.message);
  if (entry.attempts >= settings.maxAttempts) {
    return failed(entry, now, `gave up after ${entry.attempts} attempts: ${failure.message}`);
  }
  return retried(entry, now, failure.message, backoffMs(entry.attempts, settings, random));
};
