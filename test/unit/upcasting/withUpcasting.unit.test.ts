import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type {
  EventStore,
  NewEvent,
  RecordedEvent,
  SubscribeOptions,
} from '../../../src/application/ports/index.js';
import { upcasters, withUpcasting } from '../../../src/application/upcasting/index.js';

const legacyPlaced = (position: number): RecordedEvent => ({
  id: randomUUID(),
  type: 'OrderPlaced',
  data: {
    orderId: 'o',
    userId: 'u',
    items: [{ productId: 'p', quantity: 2, price: 1.5 }],
    totalAmount: 3,
  },
  streamId: 'order-o',
  revision: position - 1,
  position,
  recordedAt: new Date(0),
  metadata: { userId: 'u' },
});

const currentShape = {
  orderId: 'o',
  userId: 'u',
  items: [{ productId: 'p', quantity: 2, unitPrice: 150 }],
  totalAmount: 300,
};

/** A store that holds one legacy event and records what it was asked. */
const fakeStore = () => {
  const appended: NewEvent[][] = [];
  const store: EventStore = {
    append: async (_streamId, events) => {
      appended.push([...events]);
      return { nextRevision: 0, position: 1 };
    },
    readStream: async () => [legacyPlaced(1)],
    readAll: async () => [legacyPlaced(1), legacyPlaced(2)],
    subscribe: (options: SubscribeOptions) => {
      const done = options.onEvent(legacyPlaced(1));
      return { stop: async () => {}, done };
    },
    headPosition: async () => 2,
    close: async () => {},
  };
  return { store, appended };
};

describe('withUpcasting: one decorator for every read path', () => {
  it('given a legacy event in the store, when read by stream, then it arrives in the current shape', async () => {
    const { store } = fakeStore();
    const [event] = await withUpcasting(store, upcasters).readStream('order-o');
    expect(event!.data).to.deep.equal(currentShape);
    expect(event!.metadata).to.include({ schemaVersion: 1, upcastFrom: 0 });
  });

  it('given legacy events in the log, when read a page at a time, then every one arrives in the current shape', async () => {
    const { store } = fakeStore();
    const events = await withUpcasting(store, upcasters).readAll({ maxCount: 10 });
    expect(events.map((event) => event.data)).to.deep.equal([currentShape, currentShape]);
  });

  it('given a subscription, when a legacy event is delivered, then the handler sees the current shape', async () => {
    const { store } = fakeStore();
    const seen: unknown[] = [];
    const subscription = withUpcasting(store, upcasters).subscribe({
      onEvent: async (event) => void seen.push(event.data),
    });
    await subscription.done;
    expect(seen).to.deep.equal([currentShape]);
  });

  it('given an append, when it goes through the decorator, then it reaches the store untouched', async () => {
    const { store, appended } = fakeStore();
    const event = { id: randomUUID(), type: 'OrderPlaced', data: { any: 'thing' }, metadata: {} };
    await withUpcasting(store, upcasters).append('order-o', [event], 'any');
    expect(appended).to.deep.equal([[event]]);
    expect(await withUpcasting(store, upcasters).headPosition()).to.equal(2);
  });
});
