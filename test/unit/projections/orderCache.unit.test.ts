import { readModels } from '../../../src/subscriptions.js';
import { expect } from 'chai';
import type { Cache, DocumentStore, EventStore } from '../../../src/application/ports/index.js';
import { silentLogger, systemClock } from '../../../src/application/ports/index.js';
import { createMemoryCache } from '../../../src/infrastructure/cache/index.js';
import { createSqliteDocumentStore } from '../../../src/infrastructure/documents/index.js';
import { createSqliteEventStore } from '../../../src/infrastructure/eventStore/index.js';
import {
  createCacheSync,
  createOrderReader,
  decodeOrderEntry,
  encodeOrderEntry,
  orderCacheKey,
  startProjection,
  TOMBSTONE,
} from '../../../src/projections/index.js';
import { publicView } from '../../../src/projections/index.js';
import type {
  CacheSync,
  OrderDocument,
  OrderView,
  RunningProjection,
} from '../../../src/projections/index.js';
import { until } from '../../contract/projections/helpers.js';
import { gate, outageCache } from './doubles.js';
import { shop } from './world.js';

/** The status an answer gives the client. */
const statusOf = (view: OrderView | null | undefined) =>
  view ? (JSON.parse(view.body) as OrderDocument).status : view;

const statusIn = async (cache: Cache, orderId: string) => {
  const value = await cache.get(orderCacheKey(orderId));
  return value === null || value === TOMBSTONE ? value : statusOf(decodeOrderEntry(value));
};

describe('order lookups: cache → read model, kept in step by the projector', () => {
  let eventStore: EventStore;
  let documents: DocumentStore;
  let cache: ReturnType<typeof outageCache>;
  let sync: CacheSync;
  let projector: RunningProjection;

  const startProjector = async (store: DocumentStore = documents) => {
    sync = await createCacheSync({
      cache,
      documents: store,
      collection: 'orders',
      key: orderCacheKey,
      encode: (doc) => encodeOrderEntry(doc as OrderDocument),
      name: 'cache.orders',
      projectionName: readModels.orders.name,
      clock: systemClock,
      logger: silentLogger,
      retryMs: 10,
    });
    projector = await startProjection({
      projection: readModels.orders,
      eventStore,
      documents: store,
      clock: systemClock,
      logger: silentLogger,
      aroundCommit: sync.aroundCommit,
    });
    await projector.caughtUp;
  };
  const stopProjector = async () => {
    await projector.stop();
    await sync.stop();
  };
  const readModelSays = async (orderId: string, status: string) =>
    until(
      `the read model to say ${status}`,
      async () =>
        (await documents.collection<OrderDocument>('orders').get(orderId))?.status === status,
    );

  beforeEach(async () => {
    eventStore = createSqliteEventStore({
      path: ':memory:',
      synchronous: 'NORMAL',
      pollIntervalMs: 5,
    });
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
    const read = createOrderReader({
      documents: slow.documents(documents),
      cache,
      logger: silentLogger,
    });
    const stale = read(orderId); // misses, reads Pending from the read model, then waits at the gate
    await slow.reached;
    await s.process(orderId);
    await readModelSays(orderId, 'Processed');
    await until('the write-through', async () => (await statusIn(cache, orderId)) === 'Processed');
    slow.open();
    expect(statusOf(await stale)).to.equal('Pending'); // what the read model said when it was read
    expect(await statusIn(cache, orderId)).to.equal('Processed');
    expect(
      statusOf(await createOrderReader({ documents, cache, logger: silentLogger })(orderId)),
    ).to.equal('Processed');
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
    expect(
      statusOf(await createOrderReader({ documents, cache, logger: silentLogger })(orderId)),
    ).to.equal('Pending');
    expect(await statusIn(cache, orderId)).to.equal(TOMBSTONE);
    held.open();
    await until('the write-through', async () => (await statusIn(cache, orderId)) === 'Processed');
  });

  it('given the cache down while an order changes, when it comes back with the old entry, then that entry is rewritten before readers here trust the cache again', async () => {
    const s = shop(eventStore);
    const { orderId } = await s.place([await s.addProduct()]);
    await until('the write-through', async () => (await statusIn(cache, orderId)) === 'Pending');
    const read = createOrderReader({
      documents,
      cache,
      logger: silentLogger,
      trusted: () => sync.healthy(),
    });
    cache.down = true;
    await s.process(orderId);
    await readModelSays(orderId, 'Processed');
    expect(statusOf(await read(orderId))).to.equal('Processed');
    cache.down = false;
    expect(await cache.inner.get(orderCacheKey(orderId))).to.include('Pending'); // from before the outage
    expect(statusOf(await read(orderId))).to.equal('Processed');
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
    const cached = (await documents.collection<OrderDocument>('orders').get(orderId))!;
    await cache.set(orderCacheKey(orderId), encodeOrderEntry({ ...cached, status: 'Failed' }), 60); // a copy only the cache has
    const read = createOrderReader({ documents, cache, logger: silentLogger });
    expect(statusOf(await read(orderId))).to.equal('Failed');
    expect(statusOf(await read(orderId, cached._position))).to.equal('Failed');
    expect(statusOf(await read(orderId, cached._position + 1))).to.equal('Pending');
  });

  it('given an order in the cache, when it is read, then the answer is what the read model would render, with its owner, revision and position', async () => {
    const s = shop(eventStore);
    const { orderId } = await s.place([await s.addProduct()]);
    await until('the write-through', async () => (await statusIn(cache, orderId)) === 'Pending');
    const doc = (await documents.collection<OrderDocument>('orders').get(orderId))!;

    const hit = await createOrderReader({ documents, cache, logger: silentLogger })(orderId);

    expect(hit).to.deep.equal({
      userId: doc.userId,
      revision: doc._revision,
      position: doc._position,
      body: JSON.stringify(publicView(doc)),
    });
    expect(JSON.parse(hit!.body)).to.not.have.any.keys('_revision', '_position');
  });
});

describe('order cache entries', () => {
  const doc: OrderDocument = {
    _id: 'o-1',
    orderId: 'o-1',
    userId: 'u-1',
    items: [{ productId: 'p-1', quantity: 2, unitPrice: 1.5 }],
    totalAmount: 3,
    status: 'Pending',
    createdAt: '2026-11-26T00:00:00.000Z',
    updatedAt: '2026-11-26T00:00:00.000Z',
    _revision: 3,
    _position: 42,
  };

  it('given a document, when encoded and decoded, then the view holds its owner, revision, position and the client JSON', () => {
    expect(decodeOrderEntry(encodeOrderEntry(doc))).to.deep.equal({
      userId: 'u-1',
      revision: 3,
      position: 42,
      body: JSON.stringify(publicView(doc)),
    });
  });

  it('given a tombstone, a document in the old JSON shape or a damaged value, when decoded, then it is no entry', () => {
    for (const value of [TOMBSTONE, JSON.stringify(doc), '', '42 3', '42 x u-1 {}', 'x 3 u-1 {}']) {
      expect(decodeOrderEntry(value), value).to.equal(undefined);
    }
  });
});
