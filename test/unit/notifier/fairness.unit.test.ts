import { expect } from 'chai';
import { EMAIL_LEDGER, type EmailEntry } from '../../../src/consumers/notifier/index.js';
import { transientError, waitFor } from './fixtures.js';
import { createNotifierWorld, customerWithOrder, type NotifierWorld } from './world.js';

describe('notifier: stuck orders do not hold up others', () => {
  let world: NotifierWorld;
  // One mail at a time and a long backoff: the sender looks at only a few due mails per poll.
  beforeEach(
    async () =>
      (world = await createNotifierWorld({
        concurrency: 1,
        backoffBaseMs: 2_000,
        backoffMaxMs: 2_000,
      })),
  );
  afterEach(() => world.close());

  it('given more backing-off orders with later mails due than the sender looks at, when another order is placed, then its mail goes out before their retries', async () => {
    await world.start();
    const stuck = [];
    for (let i = 0; i < 6; i += 1) {
      const placed = await customerWithOrder(world);
      world.mail.failNext(placed.user.email, transientError());
      stuck.push(placed);
    }
    const ledger = world.documents.collection<EmailEntry>(EMAIL_LEDGER);
    const firsts = stuck.map(({ order }) => order.eventIds[0]!);
    await waitFor('every stuck confirmation to fail once', async () => {
      const entries = await ledger.find({ _id: { $in: firsts } });
      return (
        entries.length === firsts.length &&
        entries.every((entry) => entry.attempts === 1 && entry.status === 'pending')
      );
    });
    for (const { order } of stuck) await world.orders.processed(order);
    const healthy = await customerWithOrder(world);

    await world.settled([
      ...stuck.flatMap(({ order }) => order.eventIds),
      ...healthy.order.eventIds,
    ]);
    const sent = world.mail.sent.map((mail) => mail.tags?.eventId);
    const healthyAt = sent.indexOf(healthy.order.eventIds[0]);
    expect(healthyAt).to.equal(0);
    for (const { user } of stuck) {
      expect(world.mail.to(user.email).map((mail) => mail.tags?.kind)).to.deep.equal([
        'confirmation',
        'processed',
      ]);
    }
  });
});
