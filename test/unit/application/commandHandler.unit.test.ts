import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createCommandHandler } from '../../../src/application/commandHandler.js';
import {
  createProductHandler,
  type ProductHandler,
} from '../../../src/application/products/index.js';
import type { EventStore } from '../../../src/application/ports/index.js';
import {
  availableUnits,
  toProductStreamId,
  type Product,
} from '../../../src/domain/products/index.js';
import { Conflict, PreconditionFailed } from '../../../src/domain/shared/index.js';
import { createSqliteEventStore } from '../../../src/infrastructure/eventStore/index.js';

const context = { userId: 'tester', role: 'admin' as const, correlationId: 'c' };

/** The real store, counting stream reads: what the handler's cache is meant to save. */
const countingReads = (store: EventStore) => {
  const counter = { reads: 0 };
  const counted: EventStore = Object.create(store) as EventStore;
  counted.readStream = (...args) => ((counter.reads += 1), store.readStream(...args));
  return { store: counted, counter };
};

const available = (product: Product) =>
  product.status === 'Unknown' ? 0 : availableUnits(product);

describe('command handling on a cached aggregate', () => {
  let store: EventStore;
  let productId: string;
  let streamId: string;
  // Two handlers over one log stand for two processes, each with its own cache.
  let mine: ProductHandler;
  let theirs: ProductHandler;
  let counter: { reads: number };

  const reserve = (handler: ProductHandler, quantity: number, orderId = randomUUID()) =>
    handler.handle(
      streamId,
      { type: 'ReserveStock', data: { productId, orderId, quantity } },
      context,
    );

  beforeEach(async () => {
    store = createSqliteEventStore({ path: ':memory:' });
    const counting = countingReads(store);
    counter = counting.counter;
    mine = createProductHandler(counting.store);
    theirs = createProductHandler(store);
    productId = randomUUID();
    streamId = toProductStreamId(productId);
    await mine.handle(
      streamId,
      {
        type: 'AddProduct',
        data: { productId, name: 'Lamp', price: 1000, stock: 10, addedBy: 'tester' },
      },
      context,
    );
    counter.reads = 0;
  });

  afterEach(() => store.close());

  it('given the aggregate cached, when a command appends, then the stream is not read', async () => {
    const result = await reserve(mine, 2);
    expect(result.events.map((event) => event.type)).to.deep.equal(['StockReserved']);
    expect(available(result.state)).to.equal(8);
    expect(counter.reads).to.equal(0);
  });

  it('given another process appended since, when a command is decided on the cached state, then the stale append conflicts and it is decided again on the log', async () => {
    await reserve(theirs, 7);
    const result = await reserve(mine, 2);
    expect(available(result.state)).to.equal(1);
    expect(result.revision).to.equal(2);
    expect(counter.reads).to.equal(1);
    const [, , last] = await store.readStream(streamId);
    expect(last?.type).to.equal('StockReserved');
  });

  it('given the cached state refuses a command that the log allows, when handled, then it reads the log and succeeds', async () => {
    await theirs.handle(
      streamId,
      { type: 'UpdateProduct', data: { productId, stock: 50 } },
      context,
    );
    const result = await reserve(mine, 30); // the cache says 10 on hand
    expect(available(result.state)).to.equal(20);
    expect(counter.reads).to.equal(1);
  });

  it('given the cached state allows a command that the log refuses, when handled, then the append conflicts and the refusal is decided on the log', async () => {
    await reserve(theirs, 9);
    const result = await reserve(mine, 5);
    expect(result.events.map((event) => event.type)).to.deep.equal(['StockReservationRejected']);
    expect(result.events[0]?.data).to.include({ available: 1, reason: 'insufficient_stock' });
    expect(counter.reads).to.equal(1);
  });

  it('given the cached state makes the decider throw, when the log says otherwise, then the command is decided again on the log', async () => {
    // A counter that cannot go below zero: a state that can move both ways, unlike the products'.
    type Counted = { type: 'Counted'; data: { by: number } };
    type Count = { type: 'Count'; data: { by: number } };
    const decider = {
      initialState: () => 0,
      evolve: (total: number, event: Counted) => total + event.data.by,
      decide: ({ data }: Count, total: number): Counted[] => {
        if (total + data.by < 0) throw new Conflict(`cannot count ${data.by} from ${total}`);
        return [{ type: 'Counted', data }];
      },
    };
    const counting = countingReads(store);
    const [one, other] = [
      createCommandHandler({ eventStore: counting.store, decider }),
      createCommandHandler({ eventStore: store, decider }),
    ];
    const count = (handler: typeof one, by: number) =>
      handler.handle('counter-1', { type: 'Count', data: { by } }, context);
    await count(one, 1);
    await count(other, 5);
    counting.counter.reads = 0;
    const result = await count(one, -3); // its cache says 1
    expect(result.state).to.equal(3);
    expect(counting.counter.reads).to.equal(1);
    const refused = await count(one, -4).catch((error: unknown) => error);
    expect(refused).to.be.instanceOf(Conflict);
    expect(counting.counter.reads).to.equal(2); // a refusal on cached state is confirmed by a read
  });

  it('given a decision on the cached state that appends nothing, when the log moved on, then it is decided again on the log', async () => {
    const orderId = randomUUID();
    await reserve(mine, 3, orderId);
    // Another process releases the reservation: a repeat of the reservation is no longer a no-op.
    await theirs.handle(
      streamId,
      { type: 'ReleaseStock', data: { productId, orderId, reason: 'test' } },
      context,
    );
    counter.reads = 0;
    const repeat = await reserve(mine, 3, orderId);
    expect(counter.reads).to.equal(1);
    // A settled order's reservation stays settled: confirmed against the log, still nothing to append.
    expect(repeat.events).to.deep.equal([]);
    expect(repeat.revision).to.equal(2);
    expect(available(repeat.state)).to.equal(10);
  });

  it('given a stream its caller says is new, when handled, then nothing is read; if it exists after all, the command is decided on the log', async () => {
    const fresh = randomUUID();
    const add = (id: string) =>
      mine.handle(
        toProductStreamId(id),
        {
          type: 'AddProduct',
          data: { productId: id, name: 'Desk', price: 5000, stock: 1, addedBy: 'tester' },
        },
        context,
        { newStream: true },
      );
    const added = await add(fresh);
    expect(added.revision).to.equal(0);
    expect(counter.reads).to.equal(0);
    // `productId` exists already, unknown to this handler's cache: adding it again is refused.
    const again = createProductHandler(countingReads(store).store);
    const refused = await again
      .handle(
        streamId,
        {
          type: 'AddProduct',
          data: { productId, name: 'Lamp', price: 1000, stock: 10, addedBy: 'tester' },
        },
        context,
        { newStream: true },
      )
      .catch((error: unknown) => error);
    expect(refused).to.be.instanceOf(Conflict);
    expect((await store.readStream(streamId)).length).to.equal(1);
  });

  it('given an If-Match, when handled, then the stream is read so the client is compared with the log, not the cache', async () => {
    await theirs.handle(
      streamId,
      { type: 'UpdateProduct', data: { productId, stock: 12 } },
      context,
    );
    const result = await mine.handle(
      streamId,
      { type: 'UpdateProduct', data: { productId, price: 1200 } },
      context,
      {
        ifMatch: 1,
      },
    );
    expect(result.revision).to.equal(2);
    expect(counter.reads).to.equal(1);
    const stale = await mine
      .handle(streamId, { type: 'UpdateProduct', data: { productId, price: 1300 } }, context, {
        ifMatch: 1,
      })
      .catch((error: unknown) => error);
    expect(stale).to.be.instanceOf(PreconditionFailed);
  });

  it('given a command that appends, when it is handled, then the result says when the log recorded the event', async () => {
    const result = await reserve(mine, 1);

    const [last] = await store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    expect(result.recordedAt).to.be.instanceOf(Date);
    expect(result.recordedAt).to.deep.equal(last?.recordedAt);
    expect(result.position).to.equal(last?.position);
  });

  it('given coalesced loads of one stream asked in the same turn, when they complete, then one read served them all', async () => {
    await reserve(theirs, 3);

    const loads = await Promise.all(
      Array.from({ length: 5 }, () => mine.load(streamId, { coalesce: true })),
    );

    expect(counter.reads).to.equal(1);
    for (const loaded of loads) {
      expect(loaded.revision).to.equal(1);
      expect(available(loaded.state)).to.equal(7);
    }
  });

  it('given plain loads of one stream asked together, when they complete, then each read the log itself', async () => {
    await Promise.all(Array.from({ length: 3 }, () => mine.load(streamId)));

    expect(counter.reads).to.equal(3);
  });

  it('given a coalesced load whose read was taken, when the log moves on, then a later one reads again and sees it', async () => {
    const first = mine.load(streamId, { coalesce: true });
    await new Promise((resolve) => setImmediate(resolve));
    await reserve(theirs, 4);

    const second = await mine.load(streamId, { coalesce: true });

    expect((await first).revision).to.equal(0);
    expect(second.revision).to.equal(1);
    expect(available(second.state)).to.equal(6);
    expect(counter.reads).to.equal(2);
  });
});
