import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { toProductStreamId } from '../../../src/domain/products/index.js';
import { createRecipients } from '../../../src/application/accounts/index.js';
import { createProductNames, renderEntry } from '../../../src/consumers/notifier/rendering.js';
import { toEntry } from '../../../src/consumers/notifier/recorder.js';
import type { RecordedEvent } from '../../../src/application/ports/index.js';
import type { OrderEvent } from '../../../src/domain/orders/index.js';
import { createNotifierWorld, type NotifierWorld } from './world.js';

const settings = { appName: 'Order Ledger', currency: 'EUR' };

describe('notifier: rendering an entry', () => {
  let world: NotifierWorld;
  beforeEach(async () => (world = await createNotifierWorld()));
  afterEach(() => world.close());

  const entryFor = (userId: string, productIds: string[]) => {
    const items = productIds.map((productId) => ({ productId, quantity: 1, unitPrice: 250 }));
    const data = { orderId: randomUUID(), userId, items, totalAmount: 250 * items.length };
    const event = {
      type: 'OrderPlaced',
      data,
      id: randomUUID(),
      streamId: 'order',
      revision: 0,
      position: 1,
      recordedAt: new Date(),
      metadata: {},
    };
    return toEntry(event as RecordedEvent & OrderEvent, data, new Date(), 0);
  };
  const render = (entry: ReturnType<typeof entryFor>) =>
    renderEntry(
      {
        recipients: createRecipients(world.documents),
        productNames: createProductNames(world.eventStore, world.documents),
        settings,
      },
      entry,
    );

  it('given a product in the catalog, when rendered, then its name as the catalog has it now is shown', async () => {
    const user = await world.addUser();
    const productId = await world.addProduct('Blue widget', 250);
    await world.documents
      .collection('products')
      .put({ _id: productId, name: 'Blue widget (2024)' });
    const mail = await render(entryFor(user._id, [productId]));
    expect(mail.text).to.include('Blue widget (2024)');
    expect(mail.text).to.include('€2.50');
  });

  it('given a product the catalog has not projected yet, when rendered, then its name comes from its stream, renames included', async () => {
    const user = await world.addUser();
    const productId = await world.addProduct('Blue widget', 250);
    await world.eventStore.append(
      toProductStreamId(productId),
      [
        {
          id: randomUUID(),
          type: 'ProductUpdated',
          data: { productId, name: 'Azure widget' },
          metadata: {},
        },
      ],
      0,
    );
    const mail = await render(entryFor(user._id, [productId]));
    expect(mail.text).to.include('Azure widget');
    expect(mail.html).to.include('Azure widget');
  });

  it('given a product that exists nowhere, when rendered, then the line still shows, named by its id', async () => {
    const user = await world.addUser();
    const productId = randomUUID();
    const mail = await render(entryFor(user._id, [productId]));
    expect(mail.text).to.include(`Product ${productId.slice(0, 8)}`);
  });

  it('given an account renamed since the order, when rendered, then the mail goes to the account as it is now', async () => {
    const user = await world.addUser();
    await world.addUser({ ...user, name: 'Ada King', email: 'ada.king@example.test' });
    const mail = await render(entryFor(user._id, []));
    expect(mail.to).to.equal('ada.king@example.test');
    expect(mail.text).to.match(/^Hello Ada King,$/m);
  });
});
