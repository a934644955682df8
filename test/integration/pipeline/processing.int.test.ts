import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { TOKENS } from '../../../src/container.js';
import { describeFailure, toOrderStreamId } from '../../../src/domain/orders/index.js';
import type { OrderFailed } from '../../../src/domain/orders/index.js';
import { availableUnits } from '../../../src/domain/products/index.js';
import { toProductStreamId } from '../../../src/domain/products/index.js';
import { queueProfiles } from '../../support/queueProfiles.js';
import { startTestSystem } from '../../support/testSystem.js';
import type { TestSystem } from '../../support/testSystem.js';
import { addProduct, expectNeverOversold, place, waitForFinal } from './support.js';

for (const profile of queueProfiles) {
  describe(`asynchronous order processing (${profile.name})`, function () {
    this.timeout(180_000);
    let system: TestSystem;
    let env: Record<string, string>;

    before(async function () {
      env = { ...(await profile.env(this)), QUEUE_VISIBILITY_TIMEOUT_SECONDS: '5' };
      system = await startTestSystem({ ...env, PROCESSOR_CONCURRENCY: '8' });
    });
    after(() => system?.stop());

    it('given stock 100, when 1,000 customers order one unit at once, then exactly 100 are processed, 900 fail, and stock never goes below zero', async () => {
      const productId = await addProduct(system, 'Limited edition', 100);
      const orderIds = await Promise.all(
        Array.from({ length: 1000 }, () => place(system, [{ productId, quantity: 1 }])),
      );
      const finals = await waitForFinal(system, orderIds);
      const byType = [...finals.values()].map((events) => events.map((event) => event.type));
      expect(
        byType.every((types) => types.length === 1),
        'every order has exactly one final event',
      ).to.equal(true);
      expect(byType.filter(([type]) => type === 'OrderProcessed')).to.have.length(100);
      expect(byType.filter(([type]) => type === 'OrderFailed')).to.have.length(900);
      const { state } = await expectNeverOversold(system, productId);
      expect(availableUnits(state)).to.equal(0);
      const failed = [...finals.values()].find((events) => events[0]!.type === 'OrderFailed')![0]!;
      expect(describeFailure(failed.data as OrderFailed['data'])).to.equal(
        'insufficient stock for Limited edition',
      );
      const eventStore = await system.container.get(TOKENS.eventStore);
      const pending = await Promise.all(
        orderIds.map((id) => eventStore.readStream(toOrderStreamId(id))),
      );
      expect(pending.every((events) => events.length === 2)).to.equal(true);
    });

    it('given a two-product order whose second product is short, then the first reservation is released and the order fails with a reason', async () => {
      // The processor is off while both orders are placed, then handles them one at a time in
      // queue order, so the rival takes the last scarce unit first.
      const ownQueue = { QUEUE_NAME: `pair-${randomUUID().slice(0, 8)}` };
      const placing = await startTestSystem({ ...env, ...ownQueue }, [
        'api',
        'projector',
        'forwarder',
      ]);
      let processing: TestSystem | undefined;
      try {
        const plenty = await addProduct(placing, 'Plenty', 10);
        const scarce = await addProduct(placing, 'Scarce', 1);
        const rival = await place(placing, [{ productId: scarce, quantity: 1 }]);
        const orderId = await place(placing, [
          { productId: plenty, quantity: 3 },
          { productId: scarce, quantity: 1 },
        ]);
        processing = await startTestSystem({ ...placing.env, PROCESSOR_CONCURRENCY: '1' }, [
          'processor',
        ]);
        const finals = await waitForFinal(placing, [orderId, rival]);
        expect(finals.get(rival)![0]!.type).to.equal('OrderProcessed');
        expect(finals.get(orderId)![0]!.type).to.equal('OrderFailed');
        expect(describeFailure(finals.get(orderId)![0]!.data as OrderFailed['data'])).to.equal(
          'insufficient stock for Scarce',
        );
        const { state, events } = await expectNeverOversold(placing, plenty);
        expect(events.map((event) => event.type)).to.deep.equal([
          'ProductAdded',
          'StockReserved',
          'StockReleased',
        ]);
        expect(availableUnits(state)).to.equal(10);
      } finally {
        await processing?.stop();
        await placing.stop();
      }
    });

    it('given a deleted product, then its orders fail with the reason', async () => {
      const productId = await addProduct(system, 'Discontinued', 5);
      const orderId = await place(system, [{ productId, quantity: 1 }]);
      const products = await system.container.get(TOKENS.products);
      await products.handle(
        toProductStreamId(productId),
        { type: 'DeleteProduct', data: { productId } },
        { userId: 'admin', correlationId: randomUUID() },
      );
      const finals = await waitForFinal(system, [orderId]);
      const final = finals.get(orderId)![0]!;
      // The processor may have reserved before the deletion: then the order was processed in time.
      if (final.type === 'OrderFailed')
        expect(describeFailure(final.data as OrderFailed['data'])).to.equal(
          'product Discontinued was deleted',
        );
    });

    it('given a processed order, when it is cancelled, then its stock is released', async () => {
      const productId = await addProduct(system, 'Returnable', 4);
      const orderId = await place(system, [{ productId, quantity: 3 }]);
      await waitForFinal(system, [orderId]);
      const orders = await system.container.get(TOKENS.orders);
      await orders.handle(
        toOrderStreamId(orderId),
        { type: 'CancelOrder', data: { orderId, reason: 'changed my mind' } },
        { userId: 'u', correlationId: randomUUID() },
      );
      const eventStore = await system.container.get(TOKENS.eventStore);
      const deadline = Date.now() + 30_000;
      let types: string[] = [];
      while (Date.now() < deadline) {
        types = (await eventStore.readStream(toProductStreamId(productId))).map(
          (event) => event.type,
        );
        if (types.includes('StockReleased')) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(types).to.deep.equal(['ProductAdded', 'StockReserved', 'StockReleased']);
      const { state } = await expectNeverOversold(system, productId);
      expect(availableUnits(state)).to.equal(4);
    });
  });
}
