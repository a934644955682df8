import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  silentLogger,
  systemClock,
  type DocumentStore,
  type EventStore,
} from '../../../src/application/ports/index.js';
import {
  startNotifier,
  type NotifierSettings,
  type RunningNotifier,
} from '../../../src/consumers/notifier/index.js';
import { createRecipients } from '../../../src/application/accounts/index.js';
import { subscriptions } from '../../../src/subscriptions.js';
import { notifierSettings } from '../../support/settings.js';
import { createSqliteDocumentStore } from '../../../src/infrastructure/documents/index.js';
import { createSqliteEventStore } from '../../../src/infrastructure/eventStore/index.js';
import { createSesMailer } from '../../../src/infrastructure/mail/index.js';
import { addProduct, addUser, fastSettings, orders } from '../../unit/notifier/fixtures.js';
import { sesStore, type StoredEmail } from './sesServer.js';

/** Retries for as long as a test may keep SES away; short pauses so a returning server is used at once. */
export const sesSettings: Partial<NotifierSettings> = {
  ...fastSettings,
  maxAttempts: 1_000,
  backoffMaxMs: 500,
};

/** SQLite files in a temp folder, the notifier in this process, SES at `url`. */
export const notifierOverSes = async (
  url: string,
  settings: Partial<NotifierSettings> = sesSettings,
) => {
  const dir = mkdtempSync(join(tmpdir(), 'notifier-e2e-'));
  const eventStore: EventStore = createSqliteEventStore({
    path: join(dir, 'events.db'),
    pollIntervalMs: 20,
  });
  const documents: DocumentStore = createSqliteDocumentStore({ path: join(dir, 'documents.db') });
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  const mailer = createSesMailer({
    from: 'orders@example.test',
    region: 'us-east-1',
    endpoint: url,
    credentials,
    maxAttempts: 1,
    requestTimeoutMs: 800,
  });
  const notifier: RunningNotifier = await startNotifier({
    name: subscriptions.notifier.name,
    recipients: createRecipients(documents),
    eventStore,
    documents,
    mailer,
    clock: systemClock,
    logger: silentLogger,
    settings: notifierSettings(settings),
  });
  const widget = await addProduct(eventStore, 'Blue widget', 450);
  const gadget = await addProduct(eventStore, 'Gadget Pro', 1200);
  const o = orders(eventStore);
  return {
    eventStore,
    documents,
    orders: o,
    /** A new customer's order of two widgets and a gadget. */
    place: async () => {
      const user = await addUser(documents);
      const order = await o.place(user._id, [
        { productId: widget, quantity: 2, unitPrice: 450 },
        { productId: gadget, quantity: 1, unitPrice: 1200 },
      ]);
      return { user, order };
    },
    sentTo: async (email: string): Promise<StoredEmail[]> =>
      (await sesStore(url)).filter((mail) => mail.destination.to.includes(email)),
    close: async () => {
      await notifier.stop();
      await mailer.close();
      await eventStore.close();
      await documents.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
