import { randomUUID } from 'node:crypto';
import type {
  DocumentStore,
  EventStore,
  NewEvent,
  RecordedEvent,
} from '../../../src/application/ports/index.js';
import { silentLogger, systemClock } from '../../../src/application/ports/index.js';
import { toOrderStreamId } from '../../../src/domain/orders/index.js';
import { toProductStreamId } from '../../../src/domain/products/index.js';
import { readModelHash, startProjection } from '../../../src/projections/index.js';
import type { Projection } from '../../../src/projections/index.js';

const event = (type: string, data: unknown): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: { userId: 'test', schemaVersion: 1 },
});

/** A shop that writes straight to the log, as the API and the processor would: fast, and with every event type. */
export const shop = (eventStore: EventStore) => {
  const append = (streamId: string, ...events: NewEvent[]) =>
    eventStore.append(streamId, events, 'any');
  const lines = new Map<
    string,
    Array<{ productId: string; quantity: number; unitPrice: number }>
  >();
  return {
    addProduct: async (stock = 1_000_000, price = 250) => {
      const productId = randomUUID();
      await append(
        toProductStreamId(productId),
        event('ProductAdded', {
          productId,
          name: `Product ${productId.slice(0, 4)}`,
          price,
          stock,
          addedBy: 'admin',
        }),
      );
      return productId;
    },
    /** Places an order and reserves its stock; returns the position of the last event. */
    place: async (productIds: readonly string[], userId = randomUUID()) => {
      const orderId = randomUUID();
      const items = productIds.map((productId, i) => ({
        productId,
        quantity: 1 + (i % 3),
        unitPrice: 250 + i,
      }));
      lines.set(orderId, items);
      const totalAmount = items.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
      await append(
        toOrderStreamId(orderId),
        event('OrderPlaced', { orderId, userId, items, totalAmount }),
      );
      let position = 0;
      for (const { productId, quantity } of items)
        ({ position } = await append(
          toProductStreamId(productId),
          event('StockReserved', { productId, orderId, quantity }),
        ));
      return { orderId, position };
    },
    process: async (orderId: string) =>
      (await append(toOrderStreamId(orderId), event('OrderProcessed', { orderId }))).position,
    fail: async (orderId: string) =>
      (
        await append(
          toOrderStreamId(orderId),
          event('OrderFailed', { orderId, reason: 'out of stock' }),
        )
      ).position,
    cancel: async (orderId: string) => {
      let { position } = await append(
        toOrderStreamId(orderId),
        event('OrderCancelled', { orderId, reason: 'changed my mind' }),
      );
      for (const { productId, quantity } of lines.get(orderId) ?? []) {
        ({ position } = await append(
          toProductStreamId(productId),
          event('StockReleased', { productId, orderId, quantity, reason: 'cancelled' }),
        ));
      }
      return position;
    },
  };
};

export type Shop = ReturnType<typeof shop>;

/** A deterministic mix of every kind of change, for `count` orders over a few products. */
export const traffic = async (
  world: Shop,
  products: readonly string[],
  count: number,
  seed = 1,
) => {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const open: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const picked = products.filter(() => next() < 0.5);
    const { orderId } = await world.place(picked.length > 0 ? picked : [products[0]!]);
    const roll = next();
    if (roll < 0.5) await world.process(orderId);
    else if (roll < 0.6) await world.fail(orderId);
    else if (roll < 0.7) await world.cancel(orderId);
    else open.push(orderId);
    // Some processed orders are cancelled later, after other orders came in between.
    if (roll < 0.15 && open.length > 0) await world.cancel(open.shift()!);
    if (roll > 0.9 && open.length > 0) await world.process(open.shift()!);
  }
};

/** Folds the whole log into a fresh collection, the slow obvious way: the reference to compare with. */
export const freshFold = async (
  projection: Projection,
  eventStore: EventStore,
  documents: DocumentStore,
) => {
  const collection = `${projection.collection}_fresh_${randomUUID().slice(0, 8)}`;
  const run = await startProjection({
    projection,
    eventStore,
    documents,
    clock: systemClock,
    logger: silentLogger,
    collection,
    checkpointName: `test.fresh.${collection}`,
    batchSize: 7,
  });
  await run.caughtUp;
  await run.stop();
  return collection;
};

export const hashOf = async (documents: DocumentStore, collection: string) =>
  (await readModelHash(documents, collection)).hash;

/** A recorded event for pure tests, with a fixed clock. */
export const recorded = (
  type: string,
  data: unknown,
  position: number,
  at = '2024-05-01T10:00:00.000Z',
  streamId = 'test',
): RecordedEvent => ({
  id: randomUUID(),
  type,
  data,
  streamId,
  revision: position,
  position,
  recordedAt: new Date(at),
  metadata: {},
});
