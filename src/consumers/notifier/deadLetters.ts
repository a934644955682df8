import type { Clock, DocumentStore } from '../../application/ports/index.js';
import type { OrderMailKind } from '../../application/notifications/index.js';
import { EMAIL_LEDGER, type EmailEntry } from './ledger.js';

/**
 * A failed email as the admin dead-letter list shows it, beside the queue's dead letters: the
 * same `id`, `groupId` (the order), `reason`, `receiveCount` and `deadLetteredAt` fields, plus
 * what an operator needs to follow it up. Ids only: the address is in accounts, not here.
 */
export type EmailDeadLetter = {
  /** The notifier's subscription name. */
  source: string;
  /** The causing event's id: the ledger key, and what a redrive names. */
  id: string;
  groupId: string;
  reason: string;
  receiveCount: number;
  deadLetteredAt: Date;
  kind: OrderMailKind;
  eventType: string;
  orderId: string;
  userId: string;
  correlationId: string | null;
};

const toEmailDeadLetter = (source: string, entry: EmailEntry): EmailDeadLetter => ({
  source,
  id: entry._id,
  groupId: entry.orderId,
  reason: entry.lastError ?? 'failed',
  receiveCount: entry.attempts,
  deadLetteredAt: new Date(entry.failedAt ?? entry.updatedAt),
  kind: entry.kind,
  eventType: entry.eventType,
  orderId: entry.orderId,
  userId: entry.userId,
  correlationId: entry.correlationId,
});

/** Newest first. */
export const listEmailDeadLetters = async (
  documents: DocumentStore,
  source: string,
  limit = 100,
): Promise<EmailDeadLetter[]> => {
  const entries = await documents
    .collection<EmailEntry>(EMAIL_LEDGER)
    .find({ status: 'failed' }, { sort: { field: 'failedAt', direction: 'desc' }, limit });
  return entries.map((entry) => toEmailDeadLetter(source, entry));
};

/**
 * Puts failed emails (all, or those named) back in line with fresh attempts, after the cause is
 * fixed (address corrected, account restored). Each one still goes out at most once more: a
 * redrive of a mail that is not failed changes nothing. Returns how many were redriven.
 */
export const redriveEmailDeadLetters = async (
  documents: DocumentStore,
  clock: Clock,
  ids?: readonly string[],
): Promise<number> => {
  const ledger = documents.collection<EmailEntry>(EMAIL_LEDGER);
  const failed = await ledger.find(
    ids ? { status: 'failed', _id: { $in: [...ids] } } : { status: 'failed' },
  );
  let moved = 0;
  for (const entry of failed) {
    const now = clock.now().toISOString();
    const next: EmailEntry = {
      ...entry,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      failedAt: null,
      version: entry.version + 1,
      updatedAt: now,
    };
    if (await ledger.putIf(next, 'version', entry.version)) moved += 1;
  }
  return moved;
};

export type EmailBacklog = {
  pending: number;
  sending: number;
  failed: number;
  /** How long the oldest due mail has waited (0 when none is due): the number to alert on. */
  oldestDueMs: number;
};

/** For readiness and metrics: what is waiting, and for how long. */
export const emailBacklog = async (
  documents: DocumentStore,
  clock: Clock,
): Promise<EmailBacklog> => {
  const ledger = documents.collection<EmailEntry>(EMAIL_LEDGER);
  const now = clock.now();
  const [pending, sending, failed, [oldest]] = await Promise.all([
    ledger.count({ status: 'pending' }),
    ledger.count({ status: 'sending' }),
    ledger.count({ status: 'failed' }),
    ledger.find(
      { status: 'pending', nextAttemptAt: { $lte: now.toISOString() } },
      { sort: { field: 'nextAttemptAt', direction: 'asc' }, limit: 1 },
    ),
  ]);
  const oldestDueMs = oldest ? Math.max(0, now.getTime() - Date.parse(oldest.nextAttemptAt)) : 0;
  return { pending, sending, failed, oldestDueMs };
};
