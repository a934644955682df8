import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { TestSystem } from '../support/testSystem.js';
import { startAuditWorld, type User } from '../fixtures/auditSystem.js';
import { placeOrder, userIdOf } from '../fixtures/auditFlows.js';
import { eventually, onDemandProcessor } from '../fixtures/processor.js';
import { addProduct, expectProblem, signUp } from './support.js';

describe('the audit log and the record of who read it', function () {
  this.timeout(60_000);
  let system: TestSystem;
  let admin: User;
  let auditor: User;
  let customer: User;
  let orderId: string;
  let productId: string;

  before(async () => {
    ({ system, admin, auditor, customer } = await startAuditWorld());
    productId = (await addProduct(system, admin.token, { name: 'Desk', price: 80, stock: 3 }))._id;
    orderId = await placeOrder(system, customer.token, [{ productId, quantity: 1 }], randomUUID());
    await onDemandProcessor(system).while(() =>
      eventually(async () =>
        expect(
          (await system.http('GET', `/api/orders/${orderId}`, { token: admin.token })).body.status,
        ).to.equal('Processed'),
      ),
    );
  });
  after(() => system?.stop());

  const events = (query: string, token = auditor.token) =>
    system.http('GET', `/api/audit/events?${query}`, { token });

  it('given a filter by stream prefix, type and user, when an auditor reads the log, then only matching events come, by position', async () => {
    const ofOrder = await events(`streamPrefix=order-${orderId}`);
    expect(ofOrder.status, ofOrder.text).to.equal(200);
    expect(ofOrder.body.events.map((event: any) => event.type)).to.deep.equal([
      'OrderPlaced',
      'OrderProcessed',
    ]);
    expect(ofOrder.body.nextCursor).to.equal(null);
    expect(ofOrder.body.events[0]).to.include({
      streamId: `order-${orderId}`,
      revision: 0,
      schemaVersion: 1,
    });

    const byType = await events(
      `streamPrefix=product-${productId}&type=StockReserved,ProductAdded`,
      admin.token,
    );
    expect(byType.body.events.map((event: any) => event.type)).to.deep.equal([
      'ProductAdded',
      'StockReserved',
    ]);

    const byProcessor = await events(`userId=processor&streamPrefix=product-${productId}`);
    expect(
      byProcessor.body.events.map((event: any) => [event.type, event.actor.userId]),
    ).to.deep.equal([['StockReserved', 'processor']]);
  });

  it('given a time range, when the log is read, then only events recorded within it come', async () => {
    const all = (await events(`streamPrefix=order-${orderId}`)).body.events;
    const [placed] = all;
    const exactly = await events(
      `streamPrefix=order-${orderId}&since=${placed.recordedAt}&until=${placed.recordedAt}`,
    );
    expect(exactly.body.events.map((event: any) => event.eventId)).to.include(placed.eventId);
    expect(
      exactly.body.events.every((event: any) => event.recordedAt === placed.recordedAt),
    ).to.equal(true);
    expect(
      (await events(`streamPrefix=order-${orderId}&until=2000-01-01T00:00:00Z`)).body.events,
    ).to.deep.equal([]);
    expect(
      (await events(`streamPrefix=order-${orderId}&since=2999-01-01T00:00:00Z`)).body.events,
    ).to.deep.equal([]);
    expectProblem(await events('since=2024-02-01T00:00:00Z&until=2024-01-01T00:00:00Z'), 400);
  });

  it('given a small page size, when the log is read with cursors, then every event comes once, in position order', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await events(
        `limit=1&streamPrefix=product-${productId}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.events.map((event: any) => event.position));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).to.have.length(2);
    expect(seen[0]).to.be.lessThan(seen[1]!);
  });

  it('given a customer, when they ask for the audit log, then it is refused; unknown parameters are refused too', async () => {
    expectProblem(await events('', customer.token), 403);
    expectProblem(await system.http('GET', '/api/audit/events'), 401);
    expectProblem(await events('sort=desc'), 400);
    expectProblem(await events('type=Not a type'), 400);
  });

  it('given an auditor, when they try to write anything, then every write is refused with 403', async () => {
    expectProblem(
      await system.http('POST', '/api/orders', {
        token: auditor.token,
        body: { items: [{ productId, quantity: 1 }] },
      }),
      403,
    );
    expectProblem(
      await system.http('DELETE', `/api/orders/${orderId}`, { token: auditor.token }),
      403,
    );
    expectProblem(
      await system.http('POST', '/api/products', {
        token: auditor.token,
        body: { name: 'x', price: 1, stock: 1 },
      }),
      403,
    );
    expectProblem(
      await system.http('PUT', `/api/products/${productId}`, {
        token: auditor.token,
        body: { stock: 9 },
      }),
      403,
    );
    expectProblem(
      await system.http('DELETE', `/api/products/${productId}`, { token: auditor.token }),
      403,
    );
  });

  it('given timeline and audit reads, when an admin reads the access log, then each read is there with who, what and when', async () => {
    const reader = await signUp(system, 'auditor');
    const readerId = await userIdOf(system, reader.token);
    const started = new Date().toISOString();
    expect(
      (
        await system.http('GET', `/api/orders/${orderId}/timeline?limit=10`, {
          token: reader.token,
        })
      ).status,
    ).to.equal(200);
    expect(
      (await events(`type=OrderPlaced&streamPrefix=order-${orderId}`, reader.token)).status,
    ).to.equal(200);

    const log = await system.http('GET', `/api/admin/access-log?userId=${readerId}`, {
      token: admin.token,
    });
    expect(log.status, log.text).to.equal(200);
    expect(log.body.entries.map((entry: any) => [entry.action, entry.target])).to.deep.equal([
      ['audit.events', '$all'],
      ['timeline', `order-${orderId}`],
    ]);
    const [auditRead, timelineRead] = log.body.entries;
    expect(timelineRead).to.include({ userId: readerId, role: 'auditor' });
    expect(timelineRead.query).to.deep.equal({ limit: 10 });
    expect(auditRead.query).to.deep.include({
      types: ['OrderPlaced'],
      streamPrefix: `order-${orderId}`,
      limit: 100,
    });
    expect(timelineRead.at >= started).to.equal(true);

    const onlyTimelines = await system.http(
      'GET',
      `/api/admin/access-log?userId=${readerId}&action=timeline&limit=1`,
      { token: admin.token },
    );
    expect(onlyTimelines.body.entries).to.have.length(1);
    expect(onlyTimelines.body.nextCursor).to.equal(null);
  });

  it('given a customer reading their own timeline, when admins look, then that read is logged too; only admins may look', async () => {
    const customerId = await userIdOf(system, customer.token);
    await system.http('GET', `/api/orders/${orderId}/timeline`, { token: customer.token });
    const log = await system.http('GET', `/api/admin/access-log?userId=${customerId}`, {
      token: admin.token,
    });
    expect(log.body.entries[0]).to.include({
      action: 'timeline',
      role: 'customer',
      target: `order-${orderId}`,
    });
    expectProblem(await system.http('GET', '/api/admin/access-log', { token: auditor.token }), 403);
    expectProblem(
      await system.http('GET', '/api/admin/access-log', { token: customer.token }),
      403,
    );
  });
});
