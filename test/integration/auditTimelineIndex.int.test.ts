import { readModels } from '../../src/subscriptions.js';
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { readOrderTimeline } from '../../src/audit/index.js';

import { silentLogger, systemClock } from '../../src/application/ports/index.js';
import type {
  DocumentStore,
  EventStore,
  ReadAllOptions,
} from '../../src/application/ports/index.js';
import { upcasters, withUpcasting } from '../../src/application/upcasting/index.js';
import { createProductHandler } from '../../src/application/products/index.js';
import { createSqliteDocumentStore } from '../../src/infrastructure/documents/index.js';
import { createSqliteEventStore } from '../../src/infrastructure/eventStore/index.js';
import { startProjection } from '../../src/projections/index.js';
import { toOrderStreamId } from '../../src/domain/orders/index.js';
import { toProductStreamId } from '../../src/domain/products/index.js';

/** Counts the events readAll hands out, to see how much of the log a timeline reads. */
const counting = (eventStore: EventStore) => {
  let read = 0;
  return {
    store: {
      ...eventStore,
      readAll: async (options?: ReadAllOptions) => {
        const page = await eventStore.readAll(options);
        read += page.length;
        return page;
      },
    } as EventStore,
    read: () => read,
    reset: () => void (read = 0),
  };
};

describe('the orderTimeline index: timelines without scanning hot product streams', function () {
  this.timeout(30_000);
  let log: EventStore;
  let documents: DocumentStore;
  const context = { userId: 'processor', role: 'system', correlationId: randomUUID() };

  beforeEach(() => {
    log = withUpcasting(
      createSqliteEventStore({ path: ':memory:', synchronous: 'NORMAL' }),
      upcasters,
    );
    documents = createSqliteDocumentStore({ path: ':memory:' });
  });
  afterEach(async () => {
    await log.close();
    await documents.close();
  });

  /** One hot product, `orders` orders each reserving one unit of it. */
  const hotProduct = async (orders: number) => {
    const productId = randomUUID();
    const products = createProductHandler(log);
    await products.handle(
      toProductStreamId(productId),
      {
        type: 'AddProduct',
        data: { productId, name: 'Hot', price: 100, stock: 1_000_000, addedBy: 'a' },
      },
      context,
    );
    const orderIds: string[] = [];
    for (let i = 0; i < orders; i += 1) {
      const orderId = randomUUID();
      orderIds.push(orderId);
      await log.append(
        toOrderStreamId(orderId),
        [
          {
            id: randomUUID(),
            type: 'OrderPlaced',
            metadata: { ...context, schemaVersion: 1 },
            data: {
              orderId,
              userId: 'u',
              items: [{ productId, quantity: 1, unitPrice: 100 }],
              totalAmount: 100,
            },
          },
        ],
        'no_stream',
      );
      await products.handle(
        toProductStreamId(productId),
        { type: 'ReserveStock', data: { productId, orderId, quantity: 1 } },
        context,
      );
    }
    return {
      productId,
      orderIds,
      release: (orderId: string) =>
        products.handle(
          toProductStreamId(productId),
          { type: 'ReleaseStock', data: { productId, orderId, reason: 'r' } },
          context,
        ),
    };
  };

  const timelineOf = async (eventStore: EventStore, orderId: string) =>
    readOrderTimeline(
      { eventStore, documents, timelineIndex: readModels.orderTimeline },
      orderId,
      await log.readStream(toOrderStreamId(orderId)),
      { limit: 100 },
    );

  it('given no index, when the oldest order of a hot product is read, then the timeline is right but the log after the order is scanned', async () => {
    const { orderIds } = await hotProduct(300);
    const spy = counting(log);
    const timeline = await timelineOf(spy.store, orderIds[0]!);
    expect(timeline.entries.map((entry) => entry.type)).to.deep.equal([
      'OrderPlaced',
      'StockReserved',
    ]);
    expect(spy.read()).to.be.greaterThan(250);
  });

  it('given the index caught up, when later events arrive past its checkpoint, then the timeline joins index and tail without gaps, reading only the tail', async () => {
    const { orderIds, release } = await hotProduct(300);
    const index = await startProjection({
      projection: readModels.orderTimeline,
      eventStore: log,
      documents,
      clock: systemClock,
      logger: silentLogger,
    });
    await index.caughtUp;
    await index.stop();
    await release(orderIds[0]!);
    await release(orderIds[1]!);

    const spy = counting(log);
    const timeline = await timelineOf(spy.store, orderIds[0]!);

    expect(timeline.entries.map((entry) => entry.type)).to.deep.equal([
      'OrderPlaced',
      'StockReserved',
      'StockReleased',
    ]);
    expect(spy.read()).to.be.lessThan(5);
    const noIndex = createSqliteDocumentStore({ path: ':memory:' });
    const unindexed = await readOrderTimeline(
      { eventStore: log, documents: noIndex, timelineIndex: readModels.orderTimeline },
      orderIds[0]!,
      await log.readStream(toOrderStreamId(orderIds[0]!)),
      { limit: 100 },
    );
    await noIndex.close();
    expect(timeline.entries).to.deep.equal(unindexed.entries);
  });

  it('given a page that ends inside the indexed part, when the next page is read, then the entries continue in order', async () => {
    const { orderIds, release } = await hotProduct(3);
    await release(orderIds[0]!);
    const index = await startProjection({
      projection: readModels.orderTimeline,
      eventStore: log,
      documents,
      clock: systemClock,
      logger: silentLogger,
    });
    await index.caughtUp;
    await index.stop();
    const events = await log.readStream(toOrderStreamId(orderIds[0]!));
    const first = await readOrderTimeline(
      { eventStore: log, documents, timelineIndex: readModels.orderTimeline },
      orderIds[0]!,
      events,
      {
        limit: 2,
      },
    );
    const second = await readOrderTimeline(
      { eventStore: log, documents, timelineIndex: readModels.orderTimeline },
      orderIds[0]!,
      events,
      {
        limit: 2,
        cursor: first.nextCursor!,
      },
    );
    expect([...first.entries, ...second.entries].map((entry) => entry.type)).to.deep.equal([
      'OrderPlaced',
      'StockReserved',
      'StockReleased',
    ]);
    expect(second.nextCursor).to.equal(null);
    expect(second.entries[0]!.order).to.include({ status: 'Pending' });
  });
});
