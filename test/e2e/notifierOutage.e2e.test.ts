import { expect } from 'chai';
import { toOrderStreamId } from '../../src/domain/orders/index.js';
import { EMAIL_LEDGER, type EmailEntry } from '../../src/consumers/notifier/index.js';
import { freePort } from '../support/processes.js';
import { waitFor } from '../unit/notifier/fixtures.js';
import { notifierOverSes, sesSettings } from './support/notifierWorld.js';
import { startSesServer } from './support/sesServer.js';

const OUTAGE_MS = 10_000;

describe('notifier: the SES server down for 10 seconds', function () {
  this.timeout(90_000);
  let ses: Awaited<ReturnType<typeof startSesServer>>;
  let world: Awaited<ReturnType<typeof notifierOverSes>>;
  before(async () => {
    ses = await startSesServer(await freePort());
    world = await notifierOverSes(ses.url, { ...sesSettings, backoffMaxMs: 1_000 });
  });
  after(async () => {
    await world?.close();
    await ses?.stop();
  });

  it('given orders changing while SES is away, when it returns, then each change is mailed exactly once and no order is touched', async () => {
    const early = await world.place();
    await waitFor(
      'the first mail',
      async () => (await world.sentTo(early.user.email)).length === 1,
    );

    await ses.stop();
    const stoppedAt = Date.now();
    const during = [];
    for (let i = 0; i < 6; i += 1) during.push(await world.place());
    await world.orders.processed(during[0]!.order);
    await world.orders.failed(during[1]!.order, 'only 1 of Gadget Pro available');
    await world.orders.processed(during[2]!.order);
    await world.orders.cancelled(during[2]!.order, 'cancelled by the customer');
    await world.orders.cancelled(during[3]!.order, 'changed my mind');
    await world.orders.processed(early.order);
    const all = [early, ...during];
    const ids = all.flatMap(({ order }) => order.eventIds);
    const newIds = ids.slice(1);
    const ledger = world.documents.collection<EmailEntry>(EMAIL_LEDGER);
    const streams = await Promise.all(
      all.map(({ order }) => world.eventStore.readStream(toOrderStreamId(order.orderId))),
    );

    // The outage must actually be hit: the first mail of every order has been tried and failed.
    const firsts = during.map(({ order }) => order.eventIds[0]!);
    await waitFor('every order to have failed an attempt', async () => {
      const entries = await ledger.find({ _id: { $in: firsts } });
      return (
        entries.length === firsts.length &&
        entries.every((entry) => entry.attempts >= 1 && entry.lastError !== null)
      );
    });
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, stoppedAt + OUTAGE_MS - Date.now())),
    );
    const waiting = await ledger.find({ _id: { $in: newIds } });
    expect(
      waiting.filter((entry) => entry.status === 'sent' || entry.status === 'failed'),
    ).to.deep.equal([]);

    await ses.restart();
    await waitFor(
      'every email sent after SES returned',
      async () => {
        const entries = await ledger.find({ _id: { $in: ids } });
        return entries.length === ids.length && entries.every((entry) => entry.status === 'sent');
      },
      { timeoutMs: 30_000 },
    );

    for (const { user, order } of all) {
      const mails = await world.sentTo(user.email);
      const ledgerIds = (
        await ledger.find(
          { _id: { $in: order.eventIds } },
          { sort: { field: 'position', direction: 'asc' } },
        )
      ).map((e) => e.messageId);
      expect(
        mails.map((mail) => mail.messageId),
        user.email,
      ).to.deep.equal(ledgerIds);
    }
    const retried = await ledger.find({ _id: { $in: firsts } });
    expect(Math.min(...retried.map((entry) => entry.attempts))).to.be.greaterThan(1);
    const after = await Promise.all(
      all.map(({ order }) => world.eventStore.readStream(toOrderStreamId(order.orderId))),
    );
    expect(after.map((stream) => stream.map((event) => event.id))).to.deep.equal(
      streams.map((stream) => stream.map((event) => event.id)),
    );
  });
});
