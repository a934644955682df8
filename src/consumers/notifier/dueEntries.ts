import type { Clock, Collection } from '../../application/ports/index.js';
import type { EmailEntry } from './ledger.js';

export type DueDeps = { ledger: Collection<EmailEntry>; clock: Clock };

/** When an open entry may next be tried: its retry time, or the end of the claim on it. */
const dueAt = (entry: EmailEntry) =>
  entry.status === 'sending' ? (entry.leaseUntil ?? '') : entry.nextAttemptAt;

/**
 * Mails whose turn it is: due, of an order not in flight here, and the oldest open mail of their
 * order, so an order's mails go out in event order. A later mail of an order whose earlier one is
 * backing off is pushed back to that retry time: left due, such mails would fill the window this
 * looks at and hide the due mails of other orders behind them.
 */
export const pickDue = async (
  { ledger, clock }: DueDeps,
  free: number,
  busyOrders: ReadonlySet<string>,
): Promise<EmailEntry[]> => {
  const now = clock.now().toISOString();
  const limit = free * 4 + busyOrders.size;
  const [due, abandoned] = await Promise.all([
    ledger.find(
      { status: 'pending', nextAttemptAt: { $lte: now } },
      { sort: { field: 'nextAttemptAt', direction: 'asc' }, limit },
    ),
    ledger.find(
      { status: 'sending', leaseUntil: { $lte: now } },
      { sort: { field: 'leaseUntil', direction: 'asc' }, limit },
    ),
  ]);
  const candidates = [...abandoned, ...due].filter((entry) => !busyOrders.has(entry.orderId));
  if (candidates.length === 0) return [];
  const orderIds = [...new Set(candidates.map((entry) => entry.orderId))];
  const open = await ledger.find({
    orderId: { $in: orderIds },
    status: { $in: ['pending', 'sending'] },
  });
  const heads = new Map<string, EmailEntry>();
  for (const entry of open) {
    const head = heads.get(entry.orderId);
    if (!head || entry.position < head.position) heads.set(entry.orderId, entry);
  }

  const picked = new Map<string, EmailEntry>();
  for (const candidate of candidates) {
    const head = heads.get(candidate.orderId);
    if (!head || picked.has(candidate.orderId)) continue;
    if (dueAt(head) <= now) {
      if (picked.size < free) picked.set(candidate.orderId, head);
    } else if (candidate._id !== head._id) {
      const deferred = { ...candidate, nextAttemptAt: dueAt(head), version: candidate.version + 1 };
      await ledger.putIf(deferred, 'version', candidate.version);
    }
  }
  return [...picked.values()];
};
