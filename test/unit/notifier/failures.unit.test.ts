import { subscriptions } from '../../../src/subscriptions.js';
import { expect } from 'chai';
import { systemClock } from '../../../src/application/ports/index.js';
import { toOrderStreamId } from '../../../src/domain/orders/index.js';
import { silentLogger } from '../../../src/application/ports/index.js';
import {
  emailBacklog,
  listEmailDeadLetters,
  redriveEmailDeadLetters,
  startNotifier,
} from '../../../src/consumers/notifier/index.js';
import { supervise } from '../../../src/roles/supervise.js';
import { permanentError, transientError } from './fixtures.js';
import { createNotifierWorld, customerWithOrder, type NotifierWorld } from './world.js';

describe('notifier: failed sends', () => {
  let world: NotifierWorld;
  beforeEach(async () => (world = await createNotifierWorld()));
  afterEach(() => world.close());

  it('given throttling for one customer, when mailing, then that mail is retried with backoff while other orders go out', async () => {
    const slow = await customerWithOrder(world);
    const fast = await customerWithOrder(world);
    world.mail.failNext(slow.user.email, transientError(), transientError(), transientError());
    await world.start();
    await world.settled([...slow.order.eventIds, ...fast.order.eventIds]);

    expect(world.mail.to(slow.user.email)).to.have.length(1);
    expect(await world.entry(slow.order.eventIds[0]!)).to.include({
      status: 'sent',
      attempts: 4,
      lastError: 'SES Throttling: Maximum sending rate exceeded.',
    });
    const order = world.mail.sent.map((mail) => mail.to);
    expect(order.indexOf(fast.user.email)).to.be.lessThan(order.indexOf(slow.user.email));
  });

  it('given the confirmation is retrying, when the order is processed meanwhile, then its mails still arrive in event order', async () => {
    const { user, order } = await customerWithOrder(world);
    world.mail.failNext(user.email, transientError(), transientError());
    await world.start();
    await world.orders.processed(order);
    await world.settled(order.eventIds);

    expect(world.mail.to(user.email).map((mail) => mail.tags?.kind)).to.deep.equal([
      'confirmation',
      'processed',
    ]);
  });

  it('given a rejected address, when mailing, then the mail is failed with the reason, shown as a dead letter, and the order is untouched', async () => {
    const { user, order } = await customerWithOrder(world);
    world.mail.failNext(
      user.email,
      permanentError(`SES MessageRejected: Email address is not verified: ${user.email}`),
    );
    await world.start();
    await world.orders.processed(order);
    await world.settled(order.eventIds);

    expect(world.mail.to(user.email).map((mail) => mail.tags?.kind)).to.deep.equal(['processed']);
    const [dead] = await listEmailDeadLetters(world.documents, subscriptions.notifier.name);
    expect(dead).to.include({
      source: 'notifier.email',
      id: order.eventIds[0],
      groupId: order.orderId,
      kind: 'confirmation',
      userId: user._id,
      correlationId: order.correlationId,
      reason: 'SES MessageRejected: Email address is not verified: <address>',
      receiveCount: 1,
    });
    expect(await emailBacklog(world.documents, systemClock)).to.deep.equal({
      pending: 0,
      sending: 0,
      failed: 1,
      oldestDueMs: 0,
    });
    const stream = await world.eventStore.readStream(toOrderStreamId(order.orderId));
    expect(stream.map((event) => event.type)).to.deep.equal(['OrderPlaced', 'OrderProcessed']);
  });

  it('given a failed mail whose cause is fixed, when redriven, then it goes out once', async () => {
    const { user, order } = await customerWithOrder(world);
    world.mail.failNext(user.email, permanentError('SES MessageRejected: mailbox unavailable'));
    await world.start();
    await world.settled(order.eventIds);
    expect(world.mail.to(user.email)).to.have.length(0);

    expect(
      await redriveEmailDeadLetters(world.documents, systemClock, [order.eventIds[0]!]),
    ).to.equal(1);
    expect(
      await redriveEmailDeadLetters(world.documents, systemClock, [order.eventIds[0]!]),
    ).to.equal(0);
    await world.settled(order.eventIds);
    expect(world.mail.to(user.email)).to.have.length(1);
    expect(await listEmailDeadLetters(world.documents, subscriptions.notifier.name)).to.deep.equal(
      [],
    );
  });

  it('given an order of a deleted account, when mailing, then nothing is sent and the reason says the recipient is unknown', async () => {
    const { user, order } = await customerWithOrder(world);
    await world.documents.collection('users').delete(user._id);
    await world.start();
    await world.settled(order.eventIds);

    expect(world.mail.sent).to.have.length(0);
    const entry = await world.entry(order.eventIds[0]!);
    expect(entry).to.include({ status: 'failed', attempts: 0 });
    expect(entry?.lastError).to.match(/^recipient unknown: no account .* \(deleted\?\)$/);
  });

  it('given an account with an unusable address, when mailing, then it fails at once without reaching the mailer', async () => {
    const user = await world.addUser({ email: 'not an address' });
    const product = await world.addProduct('Blue widget', 450);
    const order = await world.orders.place(user._id, [
      { productId: product, quantity: 1, unitPrice: 450 },
    ]);
    await world.start();
    await world.settled(order.eventIds);

    expect(world.mail.sent).to.have.length(0);
    expect((await world.entry(order.eventIds[0]!))?.lastError).to.match(
      /not a valid email address/,
    );
  });

  it('given a mail server that keeps failing, when the attempts run out, then the mail is failed and said to have been given up', async () => {
    const { user, order } = await customerWithOrder(world);
    world.mail.failNext(
      user.email,
      ...Array.from({ length: 5 }, () => transientError('SES ServiceUnavailable: try later')),
    );
    await world.start();
    await world.settled(order.eventIds);

    expect(await world.entry(order.eventIds[0]!)).to.include({
      status: 'failed',
      attempts: 5,
      lastError: 'gave up after 5 attempts: SES ServiceUnavailable: try later',
    });
  });

  it('given a commit that fails, when the notifier is supervised, then it stops, restarts from its checkpoint and mails each change once', async () => {
    const first = await customerWithOrder(world);
    world.failWrites(1);
    const running = await startNotifier(world.deps());
    let failure: unknown;
    await running.done.catch((error: unknown) => (failure = error));
    expect((failure as Error).message).to.equal('disk I/O error');

    const supervised = await supervise(
      subscriptions.notifier.name,
      () => startNotifier(world.deps()),
      silentLogger,
    );
    try {
      world.failWrites(1);
      const second = await customerWithOrder(world);
      await world.settled([...first.order.eventIds, ...second.order.eventIds]);
      // One mail per event; across orders the sending order is not promised.
      expect(world.mail.sent.map((mail) => mail.tags?.eventId)).to.have.members([
        ...first.order.eventIds,
        ...second.order.eventIds,
      ]);
      expect(world.mail.sent).to.have.length(2);
    } finally {
      await supervised.stop();
    }
  });
});
