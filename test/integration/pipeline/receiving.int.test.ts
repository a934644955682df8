import { expect } from 'chai';
import { silentLogger } from '../../../src/application/ports/index.js';
import type { Queue } from '../../../src/application/ports/index.js';
import { isForwarded, toIntegrationMessage } from '../../../src/consumers/integrationMessages.js';
import { startOrderProcessor } from '../../../src/consumers/orderProcessor.js';
import { subscriptions } from '../../../src/subscriptions.js';
import { TOKENS } from '../../../src/container.js';
import { startTestSystem } from '../../support/testSystem.js';
import { addProduct, place, waitForFinal } from './support.js';

describe('order processor: receiving', function () {
  this.timeout(60_000);

  it('given a backlog and concurrency 12, then every receive asks for a whole batch of ten, not one message per finished one', async () => {
    const system = await startTestSystem({}, ['api']);
    try {
      const productId = await addProduct(system, 'Plenty', 1000);
      const orderIds: string[] = [];
      for (let i = 0; i < 60; i += 1)
        orderIds.push(await place(system, [{ productId, quantity: 1 }]));
      const [queue, eventStore] = await Promise.all([
        system.container.get(TOKENS.queue),
        system.container.get(TOKENS.eventStore),
      ]);
      const placed = await eventStore.readAll({ types: ['OrderPlaced'], maxCount: 1000 });
      await queue.send(placed.filter(isForwarded).map(toIntegrationMessage));

      // The real queue, with each receive's ask written down.
      const asked: number[] = [];
      const counted: Queue = Object.create(queue) as Queue;
      counted.receive = (options) => (asked.push(options.maxMessages), queue.receive(options));
      const processor = startOrderProcessor({
        name: subscriptions.processor.name,
        queue: counted,
        orders: await system.container.get(TOKENS.orders),
        products: await system.container.get(TOKENS.products),
        logger: silentLogger,
        concurrency: 12,
        waitSeconds: 1,
      });
      try {
        await waitForFinal(system, orderIds);
      } finally {
        await processor.stop();
      }
      expect(processor.counts().processed).to.equal(60);
      expect(asked.length).to.be.at.least(6);
      expect(asked.filter((max) => max !== 10)).to.deep.equal([]);
    } finally {
      await system.stop();
    }
  });
});
