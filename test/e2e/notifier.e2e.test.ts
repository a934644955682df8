import { projections } from '../../src/subscriptions.js';
import { expect } from 'chai';
import { silentLogger, systemClock } from '../../src/application/ports/index.js';
import { CHECKPOINTS } from '../../src/application/subscriptions/index.js';
import { startProjector } from '../../src/roles/projector.js';
import { requireService } from '../support/services.js';
import { waitFor } from '../unit/notifier/fixtures.js';
import { notifierOverSes } from './support/notifierWorld.js';

describe('notifier against SES (aws-ses-v2-local)', function () {
  let url: string;
  let world: Awaited<ReturnType<typeof notifierOverSes>>;
  before(async function () {
    url = (await requireService(this, 'ses')).url;
  });
  beforeEach(async () => (world = await notifierOverSes(url)));
  afterEach(() => world?.close());

  /** Bounded wait until `email` has received `count` mails. */
  const mailsTo = async (email: string, count: number) => {
    await waitFor(
      `${count} mails to ${email}`,
      async () => (await world.sentTo(email)).length >= count,
    );
    return world.sentTo(email);
  };

  it('given each kind of status change, when the notifier runs, then its owner gets exactly one mail for it with the right subject and body', async () => {
    const processed = await world.place();
    await world.orders.processed(processed.order);
    const failed = await world.place();
    await world.orders.failed(failed.order, 'only 1 of Gadget Pro available');
    const cancelled = await world.place();
    await world.orders.processed(cancelled.order);
    await world.orders.cancelled(cancelled.order, 'cancelled by the customer');

    const short = (id: string) => id.slice(0, 8);
    const p = await mailsTo(processed.user.email, 2);
    expect(p.map((mail) => mail.subject)).to.deep.equal([
      `We have received your order ${short(processed.order.orderId)}`,
      `Your order ${short(processed.order.orderId)} has been processed`,
    ]);
    expect(p[1]?.from).to.equal('orders@example.test');
    expect(p[1]?.body.text).to.equal(
      [
        'Hello Ada Lovelace,',
        'Good news: your order has been processed and the items are reserved for you.',
        `Order:  ${processed.order.orderId}\nStatus: Processed`,
        'Item         Qty  Unit price  Amount\nBlue widget    2       $4.50   $9.00\nGadget Pro     1      $12.00  $12.00\n                       Total  $21.00',
        'The Order Ledger team',
      ].join('\n\n'),
    );
    expect(p[1]?.body.html).to.include(
      '<td style="padding:4px 8px;text-align:left">Blue widget</td>',
    );
    const f = await mailsTo(failed.user.email, 2);
    expect(f[1]?.subject).to.equal(
      `Your order ${short(failed.order.orderId)} could not be completed`,
    );
    expect(f[1]?.body.text).to.include('Status: Failed\nReason: only 1 of Gadget Pro available');
    const c = await mailsTo(cancelled.user.email, 3);
    expect(c[2]?.subject).to.equal(
      `Your order ${short(cancelled.order.orderId)} has been cancelled`,
    );
    expect(c[2]?.body.text).to.include('Status: Cancelled\nReason: cancelled by the customer');

    // Exactly one each: once every entry is settled, nothing more arrives for these orders.
    const all = [processed, failed, cancelled];
    await waitFor('every entry sent', async () => {
      const ids = all.flatMap(({ order }) => order.eventIds);
      const entries = await world.documents.collection('emailLedger').find({ _id: { $in: ids } });
      return entries.length === ids.length && entries.every((entry) => entry.status === 'sent');
    });
    for (const { user, order } of all)
      expect(await world.sentTo(user.email)).to.have.length(order.eventIds.length);
  });

  it('given mail already sent, when every projection is rebuilt from position 0 beside the running notifier, then SES receives nothing new', async () => {
    const first = await world.place();
    await world.orders.processed(first.order);
    await mailsTo(first.user.email, 2);

    const checkpoints = world.documents.collection(CHECKPOINTS);
    for (const projection of projections) {
      await checkpoints.delete(projection.name);
      await world.documents.drop(projection.collection);
    }
    const projector = await startProjector({
      eventStore: world.eventStore,
      documents: world.documents,
      clock: systemClock,
      logger: silentLogger,
      projections,
      batchSize: 2,
    });
    await projector.caughtUp();
    await projector.stop();
    expect((await world.documents.collection('orders').get(first.order.orderId))?.status).to.equal(
      'Processed',
    );

    // Everything before this order has been looked at by the notifier once its mail arrives.
    const sentinel = await world.place();
    await mailsTo(sentinel.user.email, 1);
    // The notifier only mails the owners of orders in its log: these two.
    expect(await world.sentTo(first.user.email)).to.have.length(2);
    expect(await world.sentTo(sentinel.user.email)).to.have.length(1);
  });
});
