import {
  silentLogger,
  systemClock,
  type DocumentStore,
  type EventStore,
} from '../../../src/application/ports/index.js';
import { CHECKPOINTS } from '../../../src/application/subscriptions/index.js';
import { createSqliteDocumentStore } from '../../../src/infrastructure/documents/index.js';
import { createSqliteEventStore } from '../../../src/infrastructure/eventStore/index.js';
import {
  EMAIL_LEDGER,
  startNotifier,
  type EmailEntry,
  type NotifierSettings,
  type RunningNotifier,
} from '../../../src/consumers/notifier/index.js';
import { createRecipients } from '../../../src/application/accounts/index.js';
import { subscriptions } from '../../../src/subscriptions.js';
import { notifierSettings } from '../../support/settings.js';
import { addProduct, addUser, fastSettings, orders, recordingMailer, waitFor } from './fixtures.js';

/** Private in-memory stores, a recording mailer, and a notifier that can be stopped and started again. */
export const createNotifierWorld = async (settings: Partial<NotifierSettings> = {}) => {
  const eventStore: EventStore = createSqliteEventStore({ path: ':memory:', pollIntervalMs: 10 });
  const store = createSqliteDocumentStore({ path: ':memory:' });
  let failingWrites = 0;
  // Bulk writes are how the subscription commits: failing them is a store outage mid-run.
  const documents: DocumentStore = {
    ...store,
    bulkWrite: async (ops) => {
      if (failingWrites > 0) {
        failingWrites -= 1;
        throw new Error('disk I/O error');
      }
      return store.bulkWrite(ops);
    },
  };
  const mail = recordingMailer();
  let running: RunningNotifier | undefined;
  const ledger = documents.collection<EmailEntry>(EMAIL_LEDGER);

  const world = {
    eventStore,
    documents,
    ledger,
    mail,
    orders: orders(eventStore),
    addUser: (overrides?: Parameters<typeof addUser>[1]) => addUser(documents, overrides),
    addProduct: (name: string, price: number) => addProduct(eventStore, name, price),
    failWrites: (count: number) => void (failingWrites = count),
    deps: () => ({
      name: subscriptions.notifier.name,
      recipients: createRecipients(documents),
      eventStore,
      documents,
      mailer: mail.mailer,
      clock: systemClock,
      logger: silentLogger,
      settings: notifierSettings({ ...fastSettings, ...settings }),
      random: () => 0.5,
    }),
    start: async () => {
      running = await startNotifier({
        name: subscriptions.notifier.name,
        recipients: createRecipients(documents),
        eventStore,
        documents,
        mailer: mail.mailer,
        clock: systemClock,
        logger: silentLogger,
        settings: notifierSettings({ ...fastSettings, ...settings }),
        random: () => 0.5,
      });
      return running;
    },
    stop: async () => {
      await running?.stop();
      running = undefined;
    },
    entry: (eventId: string) => ledger.get(eventId),
    /** Every one of these events has reached a final state in the ledger. */
    settled: (eventIds: readonly string[], timeoutMs?: number) =>
      waitFor(
        `${eventIds.length} emails to settle`,
        async () => {
          const entries = await ledger.find({ _id: { $in: [...eventIds] } });
          return (
            entries.length === eventIds.length &&
            entries.every((e) => ['sent', 'failed', 'skipped'].includes(e.status))
          );
        },
        timeoutMs === undefined ? {} : { timeoutMs },
      ),
    /** The notifier's checkpoint has passed the log head as it is now. */
    recordedUpToHead: async () => {
      const head = (await eventStore.headPosition()) ?? 0;
      await waitFor('the notifier checkpoint to reach the head', async () => {
        const checkpoint = await documents
          .collection<{ _id: string; position: number }>(CHECKPOINTS)
          .get(subscriptions.notifier.name);
        return (checkpoint?.position ?? -1) >= head;
      });
    },
    close: async () => {
      await world.stop();
      await eventStore.close();
      await documents.close();
    },
  };
  return world;
};

export type NotifierWorld = Awaited<ReturnType<typeof createNotifierWorld>>;

/** A customer with an order of two products, ready to be mailed about. */
export const customerWithOrder = async (world: NotifierWorld) => {
  const user = await world.addUser();
  const widget = await world.addProduct('Blue widget', 450);
  const gadget = await world.addProduct('Gadget Pro', 1200);
  const order = await world.orders.place(user._id, [
    { productId: widget, quantity: 2, unitPrice: 450 },
    { productId: gadget, quantity: 1, unitPrice: 1200 },
  ]);
  return { user, order, widget, gadget };
};
