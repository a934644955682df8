import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from 'chai';
import type { DocumentStore, EventStore } from '../../src/application/ports/index.js';
import {
  EMAIL_LEDGER,
  type EmailEntry,
  type NotifierSettings,
} from '../../src/consumers/notifier/index.js';
import { createSqliteDocumentStore } from '../../src/infrastructure/documents/index.js';
import { createSqliteEventStore } from '../../src/infrastructure/eventStore/index.js';
import { requireService } from '../support/services.js';
import {
  addProduct,
  addUser,
  orders,
  waitFor,
  type PlacedOrder,
} from '../unit/notifier/fixtures.js';
import { sesStore } from './support/sesServer.js';

const KILLS = Number(process.env.NOTIFIER_CRASH_KILLS ?? 8);
const ORDERS_PER_WAVE = 25;
/** Demand zero duplicates, even from a kill that lands between SES accepting a mail and the ledger saying so. */
const STRICT = process.env.NOTIFIER_CRASH_STRICT === '1';
const childSettings: Partial<NotifierSettings> = {
  concurrency: 4,
  pollIntervalMs: 20,
  backoffBaseMs: 20,
  backoffMaxMs: 200,
  maxAttempts: 1_000,
  sendTimeoutMs: 1_000,
  leaseMs: 1_500,
  batchSize: 20,
};

const script = join(import.meta.dirname, 'support', 'notifierProcess.ts');

describe('notifier: killed with SIGKILL at random moments and restarted', function () {
  this.timeout(300_000);
  let url: string;
  let dir: string;
  let eventStore: EventStore;
  let documents: DocumentStore;
  let child: ChildProcess | undefined;
  const stderr: string[] = [];
  before(async function () {
    url = (await requireService(this, 'ses')).url;
    dir = mkdtempSync(join(tmpdir(), 'notifier-crash-'));
    eventStore = createSqliteEventStore({ path: join(dir, 'events.db') });
    documents = createSqliteDocumentStore({ path: join(dir, 'documents.db') });
  });
  after(async () => {
    child?.kill('SIGKILL');
    await eventStore?.close();
    await documents?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed')
      process.stderr.write(`notifier stderr (last 20 lines):\n${stderr.slice(-20).join('\n')}\n`);
  });

  const spawnNotifier = async () => {
    const env = {
      ...process.env,
      NOTIFIER_DIR: dir,
      SES_ENDPOINT: url,
      NOTIFIER_SETTINGS: JSON.stringify(childSettings),
    };
    const started = spawn(process.execPath, ['--import', 'tsx', script], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    createInterface({ input: started.stderr! }).on('line', (line) => stderr.push(line));
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 30_000);
      createInterface({ input: started.stdout! }).on(
        'line',
        (line) => line.includes('"ready":true') && (clearTimeout(timer), resolve(true)),
      );
      started.once('exit', () => (clearTimeout(timer), resolve(false)));
    });
    if (!ready)
      throw new Error(`the notifier process did not start: ${stderr.slice(-5).join(' | ')}`);
    return started;
  };
  const stopNotifier = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });

  it('given waves of order events, when the notifier is killed mid-work and restarted, then every change is mailed, and only a mail in flight at a kill may repeat', async () => {
    const products = [
      await addProduct(eventStore, 'Blue widget', 450),
      await addProduct(eventStore, 'Gadget Pro', 1200),
    ];
    const o = orders(eventStore);
    const expected = new Map<string, { to: string; eventId: string }>();
    const allowance = new Map<string, number>();
    let killsInFlight = 0;

    const wave = async () => {
      const placed: { email: string; order: PlacedOrder }[] = [];
      for (let i = 0; i < ORDERS_PER_WAVE; i += 1) {
        const user = await addUser(documents);
        placed.push({
          email: user.email,
          order: await o.place(user._id, [
            { productId: products[i % 2]!, quantity: 1 + (i % 3), unitPrice: i % 2 ? 1200 : 450 },
          ]),
        });
      }
      for (const [i, { order }] of placed.entries()) {
        if (i % 4 === 0) await o.processed(order);
        if (i % 4 === 1) await o.failed(order, 'only 1 of Blue widget available');
        if (i % 4 === 2)
          await o.processed(order).then(() => o.cancelled(order, 'cancelled by the customer'));
      }
      for (const { email, order } of placed)
        for (const eventId of order.eventIds) expected.set(eventId, { to: email, eventId });
    };

    for (let kill = 0; kill < KILLS; kill += 1) {
      await spawnNotifier();
      await wave();
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 600)));
      await stopNotifier('SIGKILL');
      // Read once the process is dead: a claim still open now is a mail whose send the kill interrupted.
      const open = await documents.collection<EmailEntry>(EMAIL_LEDGER).find({ status: 'sending' });
      if (open.length > 0) killsInFlight += 1;
      for (const entry of open) allowance.set(entry._id, (allowance.get(entry._id) ?? 0) + 1);
    }

    await spawnNotifier();
    const ids = [...expected.keys()];
    const ledger = documents.collection<EmailEntry>(EMAIL_LEDGER);
    await waitFor(
      `all ${ids.length} emails sent`,
      async () => (await ledger.count({ status: 'sent' })) === ids.length,
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    await stopNotifier('SIGTERM');

    const recipients = new Set([...expected.values()].map(({ to }) => to));
    const received = (await sesStore(url)).filter((mail) =>
      recipients.has(mail.destination.to[0]!),
    );
    const entries = new Map(
      (await ledger.find({ _id: { $in: ids } })).map((entry) => [entry._id, entry]),
    );
    // A mail is told apart from its order's others by its subject (one mail per kind per order).
    const subjectKey = (to: string, subject: string) =>
      `${to}|${subject.replace(/ [0-9a-f]{8}/, '')}`;
    const copies = new Map<string, number>();
    for (const mail of received)
      copies.set(
        subjectKey(mail.destination.to[0]!, mail.subject),
        (copies.get(subjectKey(mail.destination.to[0]!, mail.subject)) ?? 0) + 1,
      );
    const subjects = {
      confirmation: 'We have received your order',
      processed: 'Your order has been processed',
      failed: 'Your order could not be completed',
      cancelled: 'Your order has been cancelled',
    };

    const missing: string[] = [];
    const unexplained: string[] = [];
    const unknownIds: string[] = [];
    let duplicates = 0;
    for (const { to, eventId } of expected.values()) {
      const entry = entries.get(eventId)!;
      const count = copies.get(`${to}|${subjects[entry.kind]}`) ?? 0;
      if (count === 0) missing.push(eventId);
      if (count > 1) duplicates += count - 1;
      if (count > 1 + (STRICT ? 0 : (allowance.get(eventId) ?? 0)))
        unexplained.push(`${eventId} × ${count}`);
      if (!received.some((mail) => mail.messageId === entry.messageId)) unknownIds.push(eventId);
    }
    process.stdout.write(
      `      ${JSON.stringify({ kills: KILLS, killsWithMailInFlight: killsInFlight, inDoubtEntries: allowance.size, emails: expected.size, duplicates, strict: STRICT })}\n`,
    );
    expect(missing, 'events never mailed').to.deep.equal([]);
    expect(unexplained, 'duplicates not caused by a kill during their send').to.deep.equal([]);
    expect(unknownIds, 'sent entries whose messageId SES never issued').to.deep.equal([]);
    expect(
      received.length - duplicates,
      'mails besides one per event and the counted repeats',
    ).to.equal(expected.size);
  });
});
