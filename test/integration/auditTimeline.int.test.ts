import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { TestSystem } from '../support/testSystem.js';
import { startAuditWorld, type User } from '../fixtures/auditSystem.js';
import { placeOrder, userIdOf, wholeTimeline } from '../fixtures/auditFlows.js';
import { eventually, onDemandProcessor } from '../fixtures/processor.js';
import { addProduct, expectProblem, signUp } from './support.js';

describe('order timelines: every event of an order and the stock events it caused', function () {
  this.timeout(60_000);
  let system: TestSystem;
  let admin: User;
  let auditor: User;
  let customer: User;
  let statusOf: (orderId: string) => Promise<string>;
  let customerId: string;
  let processor: ReturnType<typeof onDemandProcessor>;

  before(async () => {
    ({ system, admin, auditor, customer, statusOf } = await startAuditWorld());
    customerId = await userIdOf(system, customer.token);
    processor = onDemandProcessor(system);
  });
  after(() => system?.stop());

  it('given an order placed, processed, cancelled and released, when its owner reads the timeline, then it is complete, in log order, with actors, correlation and state', async () => {
    const product = await addProduct(system, admin.token, { name: 'Kettle', price: 30, stock: 5 });
    const [placing, cancelling] = [randomUUID(), randomUUID()];
    const orderId = await placeOrder(
      system,
      customer.token,
      [{ productId: product._id, quantity: 2 }],
      placing,
    );
    const { entries } = await processor.while(async () => {
      await eventually(async () => expect(await statusOf(orderId)).to.equal('Processed'));
      const cancelled = await system.http('DELETE', `/api/orders/${orderId}`, {
        token: customer.token,
        headers: { 'x-correlation-id': cancelling },
      });
      expect(cancelled.status, cancelled.text).to.equal(200);
      return eventually(async () => {
        const timeline = await wholeTimeline(system, customer.token, orderId);
        expect(timeline.entries.at(-1).type).to.equal('StockReleased');
        return timeline;
      });
    });

    expect(entries.map((entry) => entry.type)).to.deep.equal([
      'OrderPlaced',
      'StockReserved',
      'OrderProcessed',
      'OrderCancelled',
      'StockReleased',
    ]);
    const positions = entries.map((entry) => entry.position);
    expect(positions).to.deep.equal([...positions].sort((a, b) => a - b));
    expect(entries.map((entry) => entry.streamId)).to.deep.equal([
      `order-${orderId}`,
      `product-${product._id}`,
      `order-${orderId}`,
      `order-${orderId}`,
      `product-${product._id}`,
    ]);
    expect(
      entries.filter((entry) => entry.streamId.startsWith('order-')).map((entry) => entry.revision),
    ).to.deep.equal([0, 1, 2]);
    expect(entries.map((entry) => entry.actor)).to.deep.equal([
      { userId: customerId, role: 'customer' },
      { userId: 'processor', role: 'system' },
      { userId: 'processor', role: 'system' },
      { userId: customerId, role: 'customer' },
      { userId: 'processor', role: 'system' },
    ]);
    // The release answers the cancellation, so it carries that request's correlation: why orders join by orderId.
    expect(entries.map((entry) => entry.correlationId)).to.deep.equal([
      placing,
      placing,
      placing,
      cancelling,
      cancelling,
    ]);
    const [placed, reserved, processed, cancel, released] = entries;
    expect([reserved.causationId, processed.causationId]).to.deep.equal([
      placed.eventId,
      placed.eventId,
    ]);
    expect(released.causationId).to.equal(cancel.eventId);
    expect(reserved.data).to.deep.equal({ productId: product._id, orderId, quantity: 2 });
    expect(entries.map((entry) => entry.order.status)).to.deep.equal([
      'Pending',
      'Pending',
      'Processed',
      'Cancelled',
      'Cancelled',
    ]);
    expect(placed.order)
      .to.include({ _id: orderId, totalAmount: 60 })
      .and.not.have.property('_revision');
    expect(new Date(placed.recordedAt).toISOString()).to.equal(placed.recordedAt);
  });

  it('given an order that cannot be fully reserved, when an auditor reads its timeline, then the rejection, the compensation and the failure are there in order', async () => {
    const [plenty, scarce] = [
      await addProduct(system, admin.token, { name: 'Plenty', price: 1, stock: 10 }),
      await addProduct(system, admin.token, { name: 'Scarce', price: 2, stock: 1 }),
    ];
    const orderId = await placeOrder(
      system,
      customer.token,
      [
        { productId: plenty._id, quantity: 1 },
        { productId: scarce._id, quantity: 1 },
      ],
      randomUUID(),
    );
    expect(
      (
        await system.http('PUT', `/api/products/${scarce._id}`, {
          token: admin.token,
          body: { stock: 0 },
        })
      ).status,
    ).to.equal(200);
    await processor.while(() =>
      eventually(async () => expect(await statusOf(orderId)).to.equal('Failed')),
    );

    const { entries } = await wholeTimeline(system, auditor.token, orderId);

    expect(entries.map((entry) => `${entry.type}:${entry.data.productId ?? ''}`)).to.deep.equal([
      'OrderPlaced:',
      `StockReserved:${plenty._id}`,
      `StockReservationRejected:${scarce._id}`,
      `StockReleased:${plenty._id}`,
      'OrderFailed:',
    ]);
    expect(entries.at(-1).order).to.include({
      status: 'Failed',
      failureReason: 'insufficient stock for Scarce',
    });
    expect(new Set(entries.map((entry) => entry.correlationId)).size).to.equal(1);
  });

  it('given a long timeline, when read two entries at a time, then the pages join into the whole timeline, each entry once', async () => {
    const products = [];
    for (let i = 0; i < 3; i += 1)
      products.push(
        await addProduct(system, admin.token, { name: `Part ${i}`, price: 1, stock: 3 }),
      );
    const orderId = await placeOrder(
      system,
      customer.token,
      products.map((p) => ({ productId: p._id, quantity: 1 })),
      randomUUID(),
    );
    await processor.while(() =>
      eventually(async () => expect(await statusOf(orderId)).to.equal('Processed')),
    );

    const whole = await wholeTimeline(system, admin.token, orderId);
    const paged = await wholeTimeline(system, admin.token, orderId, 2);

    expect(whole.entries).to.have.length(5);
    expect(paged.pages).to.equal(3);
    expect(paged.entries).to.deep.equal(whole.entries);
    expectProblem(
      await system.http('GET', `/api/orders/${orderId}/timeline?cursor=not-ours`, {
        token: admin.token,
      }),
      400,
    );
  });

  it("given another customer's order, when a customer asks for its timeline, then it does not exist for them", async () => {
    const product = await addProduct(system, admin.token);
    const orderId = await placeOrder(
      system,
      customer.token,
      [{ productId: product._id, quantity: 1 }],
      randomUUID(),
    );
    const other = await signUp(system);
    const stranger = await system.http('GET', `/api/orders/${orderId}/timeline`, {
      token: other.token,
    });
    const missing = await system.http('GET', `/api/orders/${randomUUID()}/timeline`, {
      token: other.token,
    });
    expectProblem(stranger, 404);
    expectProblem(missing, 404);
    expect(stranger.body.title).to.equal(missing.body.title);
    expectProblem(await system.http('GET', `/api/orders/${orderId}/timeline`), 401);
    expectProblem(
      await system.http('GET', `/api/orders/${orderId}/timeline?extra=1`, {
        token: customer.token,
      }),
      400,
    );
  });
});
