import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { TestSystem } from '../support/testSystem.js';
import { TOKENS } from '../../src/container.js';
import { startAuditWorld, type User } from '../fixtures/auditSystem.js';
import { nextMillisecond, placeOrder, wholeTimeline } from '../fixtures/auditFlows.js';
import { eventually, onDemandProcessor } from '../fixtures/processor.js';
import { addProduct, expectProblem, signUp } from './support.js';

describe('an order as it was: asOf a time or atRevision, folded from its stream', function () {
  this.timeout(60_000);
  let system: TestSystem;
  let admin: User;
  let auditor: User;
  let customer: User;
  let statusOf: (orderId: string) => Promise<string>;
  let processor: ReturnType<typeof onDemandProcessor>;

  before(async () => {
    ({ system, admin, auditor, customer, statusOf } = await startAuditWorld());
    processor = onDemandProcessor(system);
  });
  after(() => system?.stop());

  it('given an order that changed over time, when read asOf a time or atRevision, then it is as it was then, folded from its stream', async () => {
    const product = await addProduct(system, admin.token, { name: 'Lamp', price: 12.5, stock: 4 });
    const orderId = await placeOrder(
      system,
      customer.token,
      [{ productId: product._id, quantity: 1 }],
      randomUUID(),
    );
    await nextMillisecond();
    await processor.while(() =>
      eventually(async () => expect(await statusOf(orderId)).to.equal('Processed')),
    );
    await nextMillisecond();
    await system.http('DELETE', `/api/orders/${orderId}`, { token: admin.token });
    const { entries } = await wholeTimeline(system, auditor.token, orderId);
    const at = (type: string) => entries.find((entry) => entry.type === type).recordedAt as string;
    const read = (query: string, token = customer.token) =>
      system.http('GET', `/api/orders/${orderId}?${query}`, { token });

    const placedThen = await read(`asOf=${at('OrderPlaced')}`);
    expect(placedThen.status, placedThen.text).to.equal(200);
    expect(placedThen.body).to.include({ _id: orderId, status: 'Pending', totalAmount: 12.5 });
    expect(placedThen.headers.get('etag')).to.equal('"0"');
    expect((await read(`asOf=${at('OrderProcessed')}`, auditor.token)).body.status).to.equal(
      'Processed',
    );
    expect((await read('atRevision=1')).body.status).to.equal('Processed');
    expect((await read('asOf=2999-01-01T02:00:00+02:00')).body.status).to.equal('Cancelled');
    // The current order comes from the read model: wait for it to reach the cancellation.
    const head = await (await system.container.get(TOKENS.eventStore)).headPosition();
    expect(
      (
        await system.http('GET', `/api/orders/${orderId}`, {
          token: customer.token,
          headers: { 'x-min-position': String(head) },
        })
      ).body.status,
    ).to.equal('Cancelled');

    const before = new Date(Date.parse(at('OrderPlaced')) - 1).toISOString();
    expectProblem(await read(`asOf=${before}`), 404);
    expectProblem(await read(`atRevision=0`, (await signUp(system)).token), 404);
    expectProblem(await read(`asOf=${at('OrderPlaced')}&atRevision=0`), 400);
    expectProblem(await read('asOf=yesterday'), 400);
  });
});
