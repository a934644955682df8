import { expect } from 'chai';
import type { Cache, DocumentStore, EventStore } from '../../../src/application/ports/index.js';
import { silentLogger, systemClock } from '../../../src/application/ports/index.js';
import { createMemoryCache } from '../../../src/infrastructure/cache/index.js';
import { createSqliteDocumentStore } from '../../../src/infrastructure/documents/index.js';
import { createSqliteEventStore } from '../../../src/infrastructure/eventStore/index.js';
import { createCacheSync, createOrderReader, orderCacheKey, ordersProjection, startProjection, TOMBSTONE } from '../../../src/projections/index.js';
import type { CacheSync, OrderDocument, RunningProjection } from '../../../src/projections/index.js';
import { until } from '../../contract/projections/helpers.js';
import { gate, outageCache } from './doubles.js';
import { shop } from './world.js';

const statusIn = async (cache: Cache, orderId: string) => {
  const value = await cache.get(orderCacheKey(orderId));
  return value === null || value === TOMBSTONE ? value : (JSON.parse(value) as OrderDocument).status;
};

describe('order lookups: cache → read model, kept in step by the projector', () => {
  let eventStore: EventStore;
  let documents: DocumentStore;
  let cache: ReturnType<typeof outageCache>;
  let sync: CacheSync;
  let projector: RunningProjection;

  const startProjector = async (store: DocumentStore = documents) => {
    sync = await createCacheSync({
      cache, documents: store, collection: 'orders', key: orderCacheKey, name: 'cache.orders',
      projectionName: ordersProjection.name, clock: systemClock, logger: silentLogger, retryMs: 10,
    });
    projector = await startProjection({ projection: ordersProjection, eventStore, documents: store, clock: systemClock, logger: silentLogger, aroundCommit: sync.aroundCommit });
    await projector.caughtUp;
  };
  const stopProjector = async () => {
    await projector.stop();
    await sync.stop();
  };
  const readModelSays = async (orderId: string, status: string) =>
    until(`the read model to say ${status}`, async () => (await documents.collection<OrderDocument>('orders').get(orderId))?.status === status);

  beforeEach(async () => {
    eventStore = createSqliteEventStore({ path: ':memory:', synchronous: 'NORMAL', pollIntervalMs: 5 });
    documents = createSqliteDocumentStore({ path: ':memory:' });
    cache = outageCache(createMemoryCache());
    await startProjector();
  });
  afterEach(async () => {
    await stopProjector();
    await eventStore.close();
    await documents.close();
  });

  it('given a reader that read Pending just before the projector committed Processed, when it fills the cache after, then the cache keeps Processed', async () => {
    const s = shop(eventStore);
    const { orderId } = await s.place([await s.addProduct()]);
    await readModelSays(orderId, 'Pending');
    await cache.delete(orderCacheKey(orderId)); // expired, say
    const slow = gate();
    const read = createOrderReader({ documents: slow.documents(documents), cache, logger: silentLogger });
    const stale = read(orderId); // misses, reads Pending from the read model, then waits at the gate
    await slow.reached;
    await s.process(orderId);
    await readModelSays(orderId, 'Processed');
    await until('the write-through', async () => (await statusIn(cache, orderId)) === 'Processed');
    slow.open();
    expect((await stale)?.status).to.equal('Pending'); // what the read model said when it was read
    expect(await statusIn(cache, orderId)).to.equal('Processed');
    expect((await createOrderReader({ documents, cache, logger: silentLogger })(orderId))?.status).to.equal('Processed');
  });

  it('given a commit in flight, when a reader comes between the mark and the commit, then it reads the read model and fills nothing', async () => {
    const s = shop(eventStore);
    const { orderId } = await s.place([await s.addProduct()]);
    await readModelSays(orderId, 'Pending');
    await stopProjector();
    const held = gate();
    await startProjector(held.documents(documents, 'bulkWrite'));
    await s.process(orderId);
    await held.reached; // marked, not yet committed
    expect(await statusIn(cache, orderId)).to.equal(TOMBSTONE);
    expect((await createOrderReader({ documents, cache, logger: silentLogger })(orderId))?.status).to.equal('Pending');
    expect(await statusIn(cache, orderId)).to.equal(TOMBSTONE);
    held.open();
    await until('the write-through', async () => (await statusIn(cache, orderId)) === 'Processed');
  });

  it('given the cache down while an order changes, when it comes back with the old entry, then that entry is rewritten before readers here trust the cache again', async () => {
    const s = shop(eventStore);
    const { orderId } = await s.place([await s.addProduct()]);
    await until('the write-through', async () => (await statusIn(cache, orderId)) === 'Pending');
    const read = createOrderReader({ documents, cache, logger: silentLogger, trusted: () => sync.healthy() });
    cache.down = true;
    await s.process(orderId);
    await readModelSays(orderId, 'Processed');
    expect((await read(orderId))?.status).to.equal('Processed');
    cache.down = false;
    expect(await cache.inner.get(orderCacheKey(orderId))).to.include('Pending'); // from before the outage
    expect((await read(orderId))?.status).to.equal('Processed');
    await until('the cache to be trusted again', async () => sync.healthy());
    expect(await statusIn(cache, orderId)).to.equal('Processed');
  });

  it('given the projector died during an outage, when it starts again with the cache back, then it rewrites what changed since the cache last kept up', async () => {
    const s = shop(eventStore);
    const { orderId } = await s.place([await s.addProduct()]);
    await until('the write-through', async () => (await statusIn(cache, orderId)) === 'Pending');
    await until('the cache checkpoint', async () => sync.healthy());
    cache.down = true;
    await s.cancel(orderId);
    await readModelSays(orderId, 'Cancelled');
    await stopProjector();
    cache.down = false;
    expect(await statusIn(cache, orderId)).to.equal('Pending');
    await startProjector();
    await until('the cache to be trusted again', async () => sync.healthy());
    expect(await statusIn(cache, orderId)).to.equal('Cancelled');
  });

  it('given X-Min-Position past a cached entry, then the read model answers instead', async () => {
    const s = shop(eventStore);
    const { orderId } = await s.place([await s.addProduct()]);
    await until('the write-through', async () => (await statusIn(cache, orderId)) === 'Pending');
    const cached = JSON.parse((await cache.get(orderCacheKey(orderId)))!) as OrderDocument;
    await cache.set(orderCacheKey(orderId), JSON.stringify({ ...cached, status: 'Failed' }), 60); // a copy only the cache has
    const read = createOrderReader({ documents, cache, logger: silentLogger });
    expect((await read(orderId))?.status).to.equal('Failed');
    expect((await read(orderId, cached._position))?.status).to.equal('Failed');
    expect((await read(orderId, cached._position + 1))?.status).to.equal('Pending');
  });
});
