import { expect } from 'chai';
import { TOKENS } from '../../src/container.js';
import { orderCacheKey } from '../../src/projections/index.js';
import type { OrderDocument } from '../../src/projections/index.js';
import { ownRedis } from '../contract/projections/redisServer.js';
import { eventually } from '../fixtures/processor.js';
import { requiredServices } from '../support/services.js';
import { startTestSystem } from '../support/testSystem.js';
import type { TestSystem } from '../support/testSystem.js';
import { addProduct, signUp } from './support.js';

describe('order lookups through Redis', function () {
  this.timeout(120_000);
  let redis: NonNullable<Awaited<ReturnType<typeof ownRedis>>>;
  let system: TestSystem;
  let admin: Awaited<ReturnType<typeof signUp>>;
  let customer: Awaited<ReturnType<typeof signUp>>;
  let productId: string;

  before(async function () {
    const started = await ownRedis();
    if (!started) {
      // A server it can stop and start is the point, so REDIS_URL alone will not do.
      if (requiredServices().has('redis'))
        throw new Error(
          'no redis-server binary (REDIS_SERVER_BIN or PATH), and REQUIRE_SERVICES needs redis',
        );
      (globalThis.__skippedSuites ??= []).push(
        `${this.test?.parent?.fullTitle()}: no redis-server binary`,
      );
      return this.skip();
    }
    redis = started;
    system = await startTestSystem({
      CACHE: 'redis',
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: 'cache-int:',
    });
    [admin, customer] = [await signUp(system, 'admin'), await signUp(system)];
    productId = (
      await addProduct(system, admin.token, { name: 'Widget', price: 3, stock: 100_000 })
    )._id;
  });
  after(async () => {
    await system?.stop();
    await redis?.remove();
  });

  const place = async () => {
    const placed = await system.http('POST', '/api/orders', {
      token: customer.token,
      body: { items: [{ productId, quantity: 1 }] },
    });
    expect(placed.status, placed.text).to.equal(201);
    return {
      id: placed.body.order._id as string,
      position: placed.headers.get('x-event-position')!,
    };
  };
  const get = (id: string, position?: string) =>
    system.http('GET', `/api/orders/${id}`, {
      token: customer.token,
      ...(position ? { headers: { 'x-min-position': position } } : {}),
    });
  const readModel = async (id: string) =>
    (
      await (
        await system.container.get(TOKENS.documents)
      )
        .collection<OrderDocument>('orders')
        .get(id)
    )?.status;

  it('given readers hammering orders while the processor processes them, when the read model says Processed, then no read answers Pending', async () => {
    const orders = await Promise.all(Array.from({ length: 20 }, place));
    const stale: string[] = [];
    let reading = true;
    const seenProcessed = new Set<string>();
    // Readers race the projector's commits; each fills the cache on a miss.
    const readers = Array.from({ length: 4 }, async () => {
      while (reading) {
        for (const { id } of orders) {
          const processedBefore = (await readModel(id)) === 'Processed';
          const status = (await get(id)).body.status;
          if (processedBefore && status === 'Pending') stale.push(id);
          if (status === 'Processed') seenProcessed.add(id);
        }
      }
    });
    await eventually(async () =>
      expect(await Promise.all(orders.map(({ id }) => readModel(id)))).to.deep.equal(
        orders.map(() => 'Processed'),
      ),
    );
    reading = false;
    await Promise.all(readers);
    expect(stale).to.deep.equal([]);
    for (const { id } of orders) expect((await get(id)).body.status).to.equal('Processed');
  });

  it('given Redis stopped, then order reads still answer 200 from the read model and /readyz reports the cache degraded; once back, reads use it again', async () => {
    const { id, position } = await place();
    await eventually(async () => expect(await readModel(id)).to.equal('Processed'));
    await redis.stop();
    const read = await get(id);
    expect(read.status, read.text).to.equal(200);
    expect(read.body.status).to.equal('Processed');
    const ready = await system.http('GET', '/readyz');
    expect(ready.status).to.equal(200);
    expect(ready.body.checks.cache).to.equal('degraded');
    const cancelled = await system.http('DELETE', `/api/orders/${id}`, { token: customer.token });
    expect(cancelled.status, cancelled.text).to.equal(200);
    expect((await get(id, cancelled.headers.get('x-event-position')!)).body.status).to.equal(
      'Cancelled',
    );
    expect((await get(id, position)).status).to.equal(200);

    await redis.start();
    await eventually(async () =>
      expect((await system.http('GET', '/readyz')).body.checks.cache).to.equal('ok'),
    );
    const cache = await system.container.get(TOKENS.cache);
    await eventually(async () =>
      expect(await cache.get(orderCacheKey(id))).to.include('"Cancelled"'),
    );
    expect((await get(id)).body.status).to.equal('Cancelled');
  });

  it('given Redis frozen with an entry from before (it keeps its data), when the order changes meanwhile, then the old entry is never served after it thaws', async () => {
    const { id } = await place();
    await eventually(async () => expect(await readModel(id)).to.equal('Processed'));
    const cache = await system.container.get(TOKENS.cache);
    await eventually(async () =>
      expect(await cache.get(orderCacheKey(id))).to.include('"Processed"'),
    );
    redis.freeze();
    try {
      const cancelled = await system.http('DELETE', `/api/orders/${id}`, { token: customer.token });
      expect(cancelled.status, cancelled.text).to.equal(200);
      await eventually(async () => expect(await readModel(id)).to.equal('Cancelled'));
      expect((await get(id)).body.status).to.equal('Cancelled');
    } finally {
      redis.thaw();
    }
    // From the moment it thaws until the projector has rewritten the entry, and after.
    for (let i = 0; i < 30; i += 1) expect((await get(id)).body.status).to.equal('Cancelled');
    await eventually(async () =>
      expect(await cache.get(orderCacheKey(id))).to.include('"Cancelled"'),
    );
  });
});
