import type {
  Clock,
  DocumentStore,
  EventStore,
  Logger,
  Mailer,
} from '../../application/ports/index.js';
import { EMAIL_LEDGER, type EmailEntry } from './ledger.js';
import { startRecorder } from './recorder.js';
import { createProductNames } from './rendering.js';
import type { Recipients } from '../../application/accounts/index.js';
import { startSender } from './sender.js';
import { resolveNotifierSettings, type NotifierSettings } from './settings.js';

export type NotifierDeps = {
  /** Its name in the register of subscriptions: the checkpoint key and the log field. */
  name: string;
  eventStore: EventStore;
  documents: DocumentStore;
  mailer: Mailer;
  clock: Clock;
  logger: Logger;
  settings: NotifierSettings;
  /** Accounts' answer to who an order's owner is now (null once erased). */
  recipients: Recipients;
  /** Jitter source; tests fix it. */
  random?: () => number;
};

export type RunningNotifier = {
  /** Stops recording, lets the mails in flight finish, and resolves. Closes none of the deps. */
  stop(): Promise<void>;
  /**
   * Resolves once stopped; rejects when the subscription failed (a store outage), after the
   * sender has stopped too, so a supervisor may start a fresh notifier from the checkpoint.
   */
  done: Promise<void>;
  /** Resolves the first time every order event up to the log head is in the ledger. */
  caughtUp: Promise<void>;
};

/**
 * The notifier role: the `notifier.email` subscription records one ledger entry per order status
 * event, and the sender mails them. The two only meet in the ledger, so a slow or absent mail
 * server never holds up the subscription, and a restart loses nothing that was recorded.
 */
export const startNotifier = async (deps: NotifierDeps): Promise<RunningNotifier> => {
  const settings = resolveNotifierSettings(deps.settings);
  const logger = deps.logger.child({ subscription: deps.name });
  const ledger = deps.documents.collection<EmailEntry>(EMAIL_LEDGER);
  await ledger.ensureIndex(['status', 'nextAttemptAt']);
  await ledger.ensureIndex(['status', 'leaseUntil']);
  await ledger.ensureIndex(['status', 'failedAt']);
  await ledger.ensureIndex(['orderId']);

  const productNames = createProductNames(deps.eventStore, deps.documents);
  const sender = startSender({ ...deps, ledger, logger, settings, productNames });
  let subscription;
  try {
    subscription = await startRecorder({
      name: deps.name,
      eventStore: deps.eventStore,
      documents: deps.documents,
      clock: deps.clock,
      logger,
      batchSize: settings.batchSize,
      staleAfterMs: settings.staleAfterMs,
      onRecorded: sender.wake,
    });
  } catch (error) {
    await sender.stop();
    throw error;
  }

  const done = subscription.done.then(
    () => sender.stop(),
    async (error: unknown) => {
      await sender.stop();
      throw error;
    },
  );
  // Whoever starts it watches `done`; an unwatched failure must not take the process down.
  done.catch(() => undefined);
  return {
    stop: async () => {
      await subscription.stop();
      await sender.stop();
      await done.catch(() => undefined);
    },
    done,
    caughtUp: subscription.caughtUp,
  };
};
