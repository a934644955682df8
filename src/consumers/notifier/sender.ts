import { backoff } from '../../application/backoff.js';
import type { Clock, Collection, Logger, Mailer } from '../../application/ports/index.js';
import { pickDue } from './dueEntries.js';
import { afterFailure, claimed, failed, sent, type EmailEntry } from './ledger.js';
import { isPermanent, renderEntry, type RenderDeps } from './rendering.js';
import type { NotifierSettings } from './settings.js';

export type SenderDeps = RenderDeps & {
  ledger: Collection<EmailEntry>;
  mailer: Mailer;
  clock: Clock;
  logger: Logger;
  settings: NotifierSettings;
  random?: () => number;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

const withTimeout = <T>(work: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`send took longer than ${ms} ms; outcome unknown`)),
      ms,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
};

/**
 * Sends due ledger entries, several orders at once (never two mails of one order, so they arrive
 * in event order). Each attempt is claimed in the ledger before the send and marked sent right
 * after it: a process killed in between leaves the entry claimed, and once its lease runs out the
 * mail is sent again. That is the at-least-once choice. A mail repeats only when its SendEmail was
 * in flight as the process died (at most `concurrency` per crash) or outlived `sendTimeoutMs`.
 */
export const startSender = (deps: SenderDeps) => {
  const { ledger, mailer, clock, settings } = deps;
  const inFlight = new Map<string, Promise<void>>();
  /** Orders whose last attempt broke unexpectedly rest a little, so a broken store is not hammered. */
  const resting = new Map<string, number>();
  let stopped = false;
  let wake: (() => void) | undefined;
  let pending = false;
  const signal = () => {
    pending = true;
    wake?.();
  };

  /** Conditional on the version read, so a process that lost its claim changes nothing. */
  const update = (next: EmailEntry, previous: EmailEntry) =>
    ledger.putIf(next, 'version', previous.version);

  const markSent = async (entry: EmailEntry, messageId: string, log: Logger) => {
    // This write closes the duplicate window; a failed write would reopen it for a whole lease.
    for (let attempt = 1; ; attempt += 1) {
      try {
        if (!(await update(sent(entry, clock.now(), messageId), entry)))
          log.warn({ messageId }, 'sent, but another process had taken the email over');
        return;
      } catch (error) {
        if (attempt >= 5) throw error;
        await sleep(50 * attempt);
      }
    }
  };

  const attempt = async (entry: EmailEntry) => {
    const log = deps.logger.child({
      eventId: entry._id,
      orderId: entry.orderId,
      correlationId: entry.correlationId,
      kind: entry.kind,
    });
    let message;
    try {
      message = await renderEntry(deps, entry);
    } catch (error) {
      if (isPermanent(error)) {
        await update(failed(entry, clock.now(), messageOf(error)), entry);
        log.error({ reason: messageOf(error) }, 'email undeliverable');
      } else {
        // Accounts or the catalog could not be read: counts as an attempt, so it backs off too.
        const tried = { ...entry, attempts: entry.attempts + 1 };
        await update(
          afterFailure(
            tried,
            clock.now(),
            { permanent: false, message: messageOf(error) },
            settings,
            deps.random,
          ),
          entry,
        );
        log.warn({ reason: messageOf(error) }, 'email could not be rendered; will retry');
      }
      return;
    }
    const claim = claimed(entry, clock.now(), settings.leaseMs);
    if (!(await update(claim, entry))) return;
    if (claim.inDoubt > entry.inDoubt)
      log.warn(
        { attempt: claim.attempts },
        'previous attempt ended with its process; sending again',
      );
    const started = Date.now();
    let messageId: string;
    try {
      ({ messageId } = await withTimeout(mailer.send(message), settings.sendTimeoutMs));
    } catch (error) {
      const next = afterFailure(
        claim,
        clock.now(),
        { permanent: isPermanent(error), message: messageOf(error) },
        settings,
        deps.random,
      );
      await update(next, claim);
      if (next.status === 'failed')
        log.error({ attempt: claim.attempts, reason: next.lastError }, 'email failed');
      else
        log.warn(
          { attempt: claim.attempts, reason: next.lastError, retryAt: next.nextAttemptAt },
          'email send failed; will retry',
        );
      return;
    }
    const accepted = Date.now();
    // Throws only when the ledger stays unwritable: the claim then stands until its lease ends.
    await markSent(claim, messageId, log);
    // sendMs + markMs is the window in which a crash repeats this mail.
    log.info(
      {
        messageId,
        attempt: claim.attempts,
        sendMs: accepted - started,
        markMs: Date.now() - accepted,
      },
      'email sent',
    );
  };

  const start = (entry: EmailEntry) => {
    const run = attempt(entry)
      .catch((error) => {
        resting.set(entry.orderId, Date.now() + settings.backoffBaseMs);
        deps.logger.error(
          { err: error, eventId: entry._id },
          'email attempt failed; will look again',
        );
      })
      .finally(() => {
        inFlight.delete(entry.orderId);
        signal();
      });
    inFlight.set(entry.orderId, run);
  };

  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      if (pending || stopped) return resolve();
      const timer = setTimeout(finish, ms);
      function finish() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = finish;
    });

  const loop = async () => {
    let failures = 0;
    while (!stopped) {
      pending = false;
      const free = settings.concurrency - inFlight.size;
      try {
        for (const [orderId, until] of resting) if (until <= Date.now()) resting.delete(orderId);
        const busy = new Set([...inFlight.keys(), ...resting.keys()]);
        if (free > 0) for (const entry of await pickDue(deps, free, busy)) start(entry);
        failures = 0;
      } catch (error) {
        failures += 1;
        deps.logger.error({ err: error }, 'looking for due emails failed');
      }
      await idle(
        failures > 0
          ? backoff(failures, {
              base: settings.pollIntervalMs,
              max: settings.backoffMaxMs,
              maxDoublings: 6,
            })
          : settings.pollIntervalMs,
      );
    }
    await Promise.allSettled(inFlight.values());
  };

  const done = loop();
  return {
    /** Looks for due mails now (new entries recorded, or a redrive). */
    wake: signal,
    stop: async () => {
      stopped = true;
      wake?.();
      await done;
    },
    done,
  };
};
