/**
 * The notifier alone in its own process, as `serve --role notifier` will run it: SQLite event
 * store and documents in NOTIFIER_DIR, SES at SES_ENDPOINT. It prints `{"ready":true}` once
 * started, stops cleanly on SIGTERM, and is meant to be killed with SIGKILL by the crash test.
 */
import { join } from 'node:path';
import { systemClock, type Logger } from '../../../src/application/ports/index.js';
import { startNotifier, type NotifierSettings } from '../../../src/consumers/notifier/index.js';
import { createRecipients } from '../../../src/application/accounts/index.js';
import { subscriptions } from '../../../src/subscriptions.js';
import { notifierSettings } from '../../support/settings.js';
import { createSqliteDocumentStore } from '../../../src/infrastructure/documents/index.js';
import { createSqliteEventStore } from '../../../src/infrastructure/eventStore/index.js';
import { createSesMailer } from '../../../src/infrastructure/mail/index.js';

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

/** Warnings and errors as JSON lines on stderr, for the test to show when it fails. */
const stderrLogger = (bindings: Record<string, unknown> = {}): Logger => {
  const write = (level: string) => (obj: object | string, msg?: string) => {
    const fields = typeof obj === 'string' ? { msg: obj } : { ...obj, msg };
    const err = (fields as { err?: unknown }).err;
    process.stderr.write(
      `${JSON.stringify({ level, ...bindings, ...fields, ...(err instanceof Error ? { err: err.message } : {}) })}\n`,
    );
  };
  return {
    debug: () => {},
    info: () => {},
    warn: write('warn'),
    error: write('error'),
    child: (more) => stderrLogger({ ...bindings, ...more }),
  };
};

const dir = required('NOTIFIER_DIR');
const settings = JSON.parse(process.env.NOTIFIER_SETTINGS ?? '{}') as Partial<NotifierSettings>;
const eventStore = createSqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 20 });
const documents = createSqliteDocumentStore({ path: join(dir, 'documents.db') });
const mailer = createSesMailer({
  from: 'Order Ledger <orders@example.test>',
  region: 'us-east-1',
  endpoint: required('SES_ENDPOINT'),
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
  connectionTimeoutMs: 500,
  requestTimeoutMs: 800,
});
const notifier = await startNotifier({
  name: subscriptions.notifier.name,
  recipients: createRecipients(documents),
  eventStore,
  documents,
  mailer,
  clock: systemClock,
  logger: stderrLogger(),
  settings: notifierSettings(settings),
});
process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);

process.once('SIGTERM', () => {
  void (async () => {
    await notifier.stop();
    await mailer.close();
    await documents.close();
    await eventStore.close();
    process.exit(0);
  })();
});
