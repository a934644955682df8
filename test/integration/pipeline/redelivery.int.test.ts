import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { TOKENS } from '../../../src/container.js';
import { isForwarded, toIntegrationMessage } from '../../../src/consumers/integrationMessages.js';
import { requireService } from '../../support/services.js';
import { startTestSystem } from '../../support/testSystem.js';
import type { TestSystem } from '../../support/testSystem.js';
import { signUp } from '../support.js';
import { addProduct, expectNeverOversold, place, waitForFinal } from './support.js';

const shuffle = <T>(items: T[]) => {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
};

/** A scenario whose outcome does not depend on processing order: enough stock, and some orders that can never be met. */
const scenario = async (system: TestSystem) => {
  const roomy = await addProduct(system, 'Roomy', 1000);
  const tiny = await addProduct(system, 'Tiny', 1);
  const orderIds: string[] = [];
  for (let i = 0; i < 20; i += 1)
    orderIds.push(await place(system, [{ productId: roomy, quantity: 1 + (i % 3) }]));
  // Placement checks availability, so the order that will fail is placed while it still fits,
  // and the stock is then reduced before the processor runs.
  const doomed = await place(system, [
    { productId: roomy, quantity: 1 },
    { productId: tiny, quantity: 1 },
  ]);
  const products = await system.container.get(TOKENS.products);
  await products.handle(
    `product-${tiny}`,
    { type: 'UpdateProduct', data: { productId: tiny, stock: 0 } },
    { userId: 'admin', correlationId: randomUUID() },
  );
  return { roomy, tiny, orderIds: [...orderIds, doomed], doomed };
};

/** Each order's status and each product stream's event types: what "the same final state" means here. */
const finalState = async (system: TestSystem, s: Awaited<ReturnType<typeof scenario>>) => {
  const finals = await waitForFinal(system, s.orderIds);
  const statuses = s.orderIds.map((id) => finals.get(id)!.map((event) => event.type));
  const roomy = await expectNeverOversold(system, s.roomy);
  const tiny = await expectNeverOversold(system, s.tiny);
  const count = (events: { type: string }[]) =>
    events.reduce<Record<string, number>>(
      (counts, event) => ({ ...counts, [event.type]: (counts[event.type] ?? 0) + 1 }),
      {},
    );
  return {
    statuses,
    roomy: count(roomy.events),
    tiny: count(tiny.events),
    doomed: finals.get(s.doomed)![0]!.type,
  };
};

describe('redelivery and dead letters', function () {
  this.timeout(180_000);

  it('given every message delivered three times in shuffled order, then the final state equals delivering each once', async () => {
    const once = await startTestSystem({}, ['api', 'projector', 'forwarder', 'processor']);
    // No forwarder here: the test sends the messages itself, three times each.
    const thrice = await startTestSystem({ PROCESSOR_CONCURRENCY: '8' }, [
      'api',
      'projector',
      'processor',
    ]);
    try {
      const reference = await finalState(once, await scenario(once));

      const s = await scenario(thrice);
      const eventStore = await thrice.container.get(TOKENS.eventStore);
      const placed = await eventStore.readAll({ types: ['OrderPlaced'], maxCount: 10_000 });
      const messages = placed.filter(isForwarded).map(toIntegrationMessage);
      // Distinct deduplication ids, so the queue delivers every copy.
      const copies = shuffle(
        messages.flatMap((message) =>
          [0, 1, 2].map((n) => ({ ...message, id: `${message.id}:${n}` })),
        ),
      );
      const queue = await thrice.container.get(TOKENS.queue);
      for (let i = 0; i < copies.length; i += 10) await queue.send(copies.slice(i, i + 10));
      const result = await finalState(thrice, s);

      expect(result).to.deep.equal(reference);
      expect(result.doomed).to.equal('OrderFailed');
      expect(result.statuses.every((types) => types.length === 1)).to.equal(true);
    } finally {
      await thrice.stop();
      await once.stop();
    }
  });

  for (const profile of ['embedded queue', 'SQS'] as const) {
    it(`given a poison message (${profile}), then it lands in the dead letters with its reason while orders keep flowing, and redrive puts it back`, async function () {
      const env: Record<string, string> =
        profile === 'SQS'
          ? {
              QUEUE: 'sqs',
              SQS_ENDPOINT: (await requireService(this, 'sqs')).url,
              QUEUE_NAME: `poison-${randomUUID().slice(0, 8)}`,
              AWS_ACCESS_KEY_ID: 'test',
              AWS_SECRET_ACCESS_KEY: 'test',
            }
          : {};
      const system = await startTestSystem(env);
      try {
        const admin = await signUp(system, 'admin');
        const queue = await system.container.get(TOKENS.queue);
        await queue.send([
          { id: randomUUID(), groupId: randomUUID(), body: '{"type":"OrderPlaced","version":99}' },
        ]);
        const productId = await addProduct(system, 'Flowing', 10);
        const orderIds = [
          await place(system, [{ productId, quantity: 1 }]),
          await place(system, [{ productId, quantity: 2 }]),
        ];
        const finals = await waitForFinal(system, orderIds);
        expect([...finals.values()].map((events) => events[0]!.type)).to.deep.equal([
          'OrderProcessed',
          'OrderProcessed',
        ]);

        const listed = async () =>
          (
            (await system.http('GET', '/api/admin/dead-letters', { token: admin.token })).body
              .deadLetters as Array<{
              source: string;
              id: string;
              reason: string;
              deadLetteredAt: string;
            }>
          ).filter((letter) => letter.source === 'queue');
        const deadline = Date.now() + 30_000;
        let letters = await listed();
        while (letters.length === 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          letters = await listed();
        }
        expect(letters).to.have.length(1);
        expect(letters[0]!.reason).to.match(/^not a known integration message: version/);

        const redrive = await system.http('POST', '/api/admin/dead-letters/redrive', {
          token: admin.token,
          body: { ids: [letters[0]!.id] },
        });
        expect(redrive.body).to.deep.equal({ success: true, redriven: 1 });
        // Still poison, so the processor refuses it again: back in the dead letters, dead-lettered anew.
        const first = Date.parse(letters[0]!.deadLetteredAt);
        const isNewer = (list: Array<{ deadLetteredAt: string }>) =>
          list.length === 1 && Date.parse(list[0]!.deadLetteredAt) > first;
        let again = await listed();
        while (!isNewer(again) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          again = await listed();
        }
        expect(isNewer(again), 'dead-lettered again after the redrive').to.equal(true);
        expect(again[0]!.id).to.equal(letters[0]!.id);
      } finally {
        await system.stop();
      }
    });
  }
});
