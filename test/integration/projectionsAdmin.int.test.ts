import { readModels } from '../../src/subscriptions.js';
import { expect } from 'chai';
import { TOKENS } from '../../src/container.js';
import { REBUILDS } from '../../src/projections/index.js';
import type { RebuildLease } from '../../src/projections/index.js';
import { eventually } from '../fixtures/processor.js';
import { startTestSystem } from '../support/testSystem.js';
import type { TestSystem } from '../support/testSystem.js';
import { addProduct, expectProblem, signUp } from './support.js';

type Status = {
  name: string;
  checkpoint: number;
  lag: number;
  state: string;
  rebuild: { id: string; state: string } | null;
};

describe('projections for operators: admin API and CLI', function () {
  this.timeout(120_000);
  let system: TestSystem;
  let admin: Awaited<ReturnType<typeof signUp>>;
  let customer: Awaited<ReturnType<typeof signUp>>;
  const orderIds: string[] = [];

  before(async () => {
    system = await startTestSystem();
    [admin, customer] = [await signUp(system, 'admin'), await signUp(system)];
    const product = await addProduct(system, admin.token, { name: 'Mug', price: 7.5, stock: 1000 });
    for (let i = 0; i < 5; i += 1) {
      const placed = await system.http('POST', '/api/orders', {
        token: customer.token,
        body: { items: [{ productId: product._id, quantity: 2 }] },
      });
      orderIds.push(placed.body.order._id);
    }
  });
  after(() => system?.stop());

  const status = async (): Promise<Status[]> => {
    const listed = await system.http('GET', '/api/admin/projections', { token: admin.token });
    expect(listed.status, listed.text).to.equal(200);
    return listed.body.projections;
  };
  const orderOf = (name: string) => async () => (await status()).find((p) => p.name === name)!;

  it('given a customer or no token, then the projection operations are refused', async () => {
    expectProblem(
      await system.http('GET', '/api/admin/projections', { token: customer.token }),
      403,
    );
    expectProblem(await system.http('POST', '/api/admin/projections/orders/rebuild'), 401);
  });

  it('given the system running, when an admin lists projections, then each shows its checkpoint, lag and a running live runner', async () => {
    await eventually(async () =>
      expect((await status()).every((p) => p.lag === 0 && p.state === 'running')).to.equal(true),
    );
    expect((await status()).map((p) => p.name)).to.include.members([
      'projections.orders',
      'projections.products',
      'projections.dailySales',
    ]);
  });

  it('given an admin, when the orders projection is rebuilt over the API, then it swaps in while reads keep answering, and ends the same', async () => {
    const before = await Promise.all(
      orderIds.map(
        async (id) =>
          (await system.http('GET', `/api/orders/${id}`, { token: customer.token })).body,
      ),
    );
    const started = await system.http('POST', '/api/admin/projections/orders/rebuild', {
      token: admin.token,
    });
    expect(started.status, started.text).to.equal(202);
    expect(started.body.rebuild.projection).to.equal('projections.orders');
    for (const id of orderIds)
      expect(
        (await system.http('GET', `/api/orders/${id}`, { token: customer.token })).status,
      ).to.equal(200);
    await eventually(async () =>
      expect((await orderOf('projections.orders')()).rebuild).to.deep.include({
        id: started.body.rebuild.id,
        state: 'done',
      }),
    );
    const after = await Promise.all(
      orderIds.map(
        async (id) =>
          (await system.http('GET', `/api/orders/${id}`, { token: customer.token })).body,
      ),
    );
    expect(after).to.deep.equal(before);
    expectProblem(
      await system.http('POST', '/api/admin/projections/nothing/rebuild', { token: admin.token }),
      404,
    );
  });

  it('given a rebuild of the projection running elsewhere (its lease is live), when another is asked for, then 409', async () => {
    const documents = await system.container.get(TOKENS.documents);
    const now = Date.now();
    const elsewhere: RebuildLease = {
      _id: readModels.orders.name,
      rebuildId: 'elsewhere',
      state: 'running',
      shadow: 'orders_rebuild_elsewhere',
      owner: 'cli:1',
      startedAt: new Date(now).toISOString(),
      heartbeatAt: new Date(now).toISOString(),
      expiresAt: now + 60_000,
      position: 1,
      head: 2,
      events: 1,
    };
    await documents.collection<RebuildLease>(REBUILDS).put(elsewhere);
    try {
      expectProblem(
        await system.http('POST', '/api/admin/projections/orders/rebuild', { token: admin.token }),
        409,
      );
      expect((await orderOf('projections.orders')()).rebuild).to.deep.include({
        id: 'elsewhere',
        state: 'running',
      });
    } finally {
      await documents
        .collection<RebuildLease>(REBUILDS)
        .put({ ...elsewhere, state: 'aborted', expiresAt: now });
    }
  });

  it('given the CLI in another process, when it rebuilds while this process serves, then it swaps in and status shows it', async () => {
    const out = await system.cli('projections', 'rebuild', 'dailySales');
    expect(out).to.match(
      /^rebuilt projections\.dailySales: \d+ events in [\d.]+ s \(\d+ events\/s\), checkpoint \d+\n$/,
    );
    const listed = JSON.parse(await system.cli('projections', 'status', '--json')) as Status[];
    expect(listed.find((p) => p.name === 'projections.dailySales')!.rebuild!.state).to.equal(
      'done',
    );
    const table = await system.cli('projections', 'status');
    expect(table.split('\n')[0]).to.match(
      /^projection\s+checkpoint\s+head\s+lag\s+state\s+rebuild$/,
    );
  });
});
