import { projections } from '../../../src/subscriptions.js';
import { subscriptions } from '../../../src/subscriptions.js';
import { expect } from 'chai';
import { silentLogger, systemClock } from '../../../src/application/ports/index.js';
import { CHECKPOINTS } from '../../../src/application/subscriptions/index.js';
import { startProjection } from '../../../src/projections/index.js';
import { createNotifierWorld, customerWithOrder, type NotifierWorld } from './world.js';

describe('notifier: one email per order status change', () => {
  let world: NotifierWorld;
  beforeEach(async () => (world = await createNotifierWorld()));
  afterEach(() => world.close());

  it('given an order placed then processed, when the notifier runs, then its owner gets the confirmation then the processed mail', async () => {
    const { user, order } = await customerWithOrder(world);
    await world.orders.processed(order);
    await world.start();
    await world.settled(order.eventIds);

    const mails = world.mail.to(user.email);
    expect(mails.map((mail) => mail.subject)).to.deep.equal([
      `We have received your order ${order.orderId.slice(0, 8)}`,
      `Your order ${order.orderId.slice(0, 8)} has been processed`,
    ]);
    expect(mails[0]?.text)
      .to.include('Hello Ada Lovelace,')
      .and.include('Blue widget')
      .and.include('$21.00');
    expect(mails[1]?.tags).to.deep.equal({
      correlationId: order.correlationId,
      eventId: order.eventIds[1],
      orderId: order.orderId,
      kind: 'processed',
    });
    const entry = await world.entry(order.eventIds[1]!);
    expect(entry).to.include({
      status: 'sent',
      attempts: 1,
      messageId: mails[1]?.messageId,
      userId: user._id,
    });
  });

  it('given failed and cancelled orders, when mailed, then each says so with its reason', async () => {
    await world.start();
    const failed = await customerWithOrder(world);
    await world.orders.failed(failed.order, 'only 1 of Blue widget available');
    const cancelled = await customerWithOrder(world);
    await world.orders.processed(cancelled.order);
    await world.orders.cancelled(cancelled.order, 'cancelled by the customer');
    await world.settled([...failed.order.eventIds, ...cancelled.order.eventIds]);

    const [, failure] = world.mail.to(failed.user.email);
    expect(failure?.subject).to.match(/could not be completed$/);
    expect(failure?.text)
      .to.match(/^Status: Failed$/m)
      .and.match(/^Reason: only 1 of Blue widget available$/m);
    expect(
      world.mail.to(cancelled.user.email).map((mail) => mail.subject.replace(/ [0-9a-f]{8}/, '')),
    ).to.deep.equal([
      'We have received your order',
      'Your order has been processed',
      'Your order has been cancelled',
    ]);
    expect(world.mail.to(cancelled.user.email)[2]?.text).to.match(
      /^Reason: cancelled by the customer$/m,
    );
  });

  it('given every mail sent, when the notifier restarts and then replays the log from 0, then nobody is mailed again', async () => {
    const { order } = await customerWithOrder(world);
    await world.orders.processed(order);
    await world.start();
    await world.settled(order.eventIds);
    await world.stop();

    await world.start();
    await world.recordedUpToHead();
    await world.stop();
    await world.documents.collection(CHECKPOINTS).delete(subscriptions.notifier.name);
    await world.start();
    // A sentinel after the replay: once it is mailed, everything before it has been looked at.
    const sentinel = await customerWithOrder(world);
    await world.settled(sentinel.order.eventIds);

    expect(world.mail.sent.map((mail) => mail.tags?.eventId)).to.deep.equal([
      ...order.eventIds,
      ...sentinel.order.eventIds,
    ]);
  });

  it('given every mail sent, when every projection is rebuilt from position 0 while the notifier runs, then nobody is mailed again', async () => {
    const { order } = await customerWithOrder(world);
    await world.orders.processed(order);
    await world.start();
    await world.settled(order.eventIds);
    const before = world.mail.sent.length;

    const checkpoints = world.documents.collection(CHECKPOINTS);
    for (const projection of projections) {
      await checkpoints.delete(projection.name);
      const rebuild = await startProjection({
        projection,
        eventStore: world.eventStore,
        documents: world.documents,
        clock: systemClock,
        logger: silentLogger,
      });
      await rebuild.caughtUp;
      await rebuild.stop();
    }
    const sentinel = await customerWithOrder(world);
    await world.settled(sentinel.order.eventIds);

    expect(world.mail.sent.slice(before).map((mail) => mail.tags?.eventId)).to.deep.equal(
      sentinel.order.eventIds,
    );
    expect((await world.documents.collection('orders').get(order.orderId))?.status).to.equal(
      'Processed',
    );
  });

  it('given a mail claimed by a process that died (lease run out), when the notifier starts, then it is sent again and counted in doubt', async () => {
    const { user, order } = await customerWithOrder(world);
    await world.start();
    await world.settled(order.eventIds);
    await world.stop();
    const entry = (await world.entry(order.eventIds[0]!))!;
    const past = new Date(Date.now() - 1).toISOString();
    await world.ledger.put({
      ...entry,
      status: 'sending',
      leaseUntil: past,
      messageId: null,
      version: entry.version + 1,
    });

    await world.start();
    await world.settled(order.eventIds);

    expect(world.mail.to(user.email)).to.have.length(2);
    expect(await world.entry(order.eventIds[0]!)).to.include({
      status: 'sent',
      inDoubt: 1,
      attempts: 2,
    });
  });

  it('given events older than the stale limit, when a notifier without a ledger first sees them, then they are recorded as skipped', async () => {
    const stale = await createNotifierWorld({ staleAfterMs: 1 });
    try {
      const { order: old } = await customerWithOrder(stale);
      await new Promise((resolve) => setTimeout(resolve, 5));
      await stale.start();
      await stale.settled(old.eventIds);
      expect(await stale.entry(old.eventIds[0]!)).to.include({ status: 'skipped' });
      expect(stale.mail.sent).to.have.length(0);
    } finally {
      await stale.close();
    }
  });
});
