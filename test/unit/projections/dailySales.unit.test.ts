import { readModels } from '../../../src/subscriptions.js';
import { expect } from 'chai';
import fc from 'fast-check';
import { applyEvents } from '../../../src/projections/engine/apply.js';
import type { BatchDocuments } from '../../../src/projections/engine/apply.js';

import type { ProjectedDoc } from '../../../src/projections/index.js';
import type { RecordedEvent } from '../../../src/application/ports/index.js';
import { recorded } from './world.js';

/** Documents in a Map: what the runner's store view does, without a store. */
const memory = (
  docs = new Map<string, ProjectedDoc>(),
): BatchDocuments & { docs: Map<string, ProjectedDoc> } => ({
  docs,
  load: async () => {},
  get: (id) => docs.get(id) ?? null,
  set: (id, doc) => void docs.set(id, doc),
});

const daily = (docs: Map<string, ProjectedDoc>) =>
  Object.fromEntries(
    [...docs.values()]
      .filter((doc) => doc.kind === 'daily')
      .map(({ _id, orders, units, revenue }) => [_id, { orders, units, revenue }]),
  );

const placed = (
  orderId: string,
  position: number,
  items = [
    { productId: 'p1', quantity: 2, unitPrice: 1050 },
    { productId: 'p2', quantity: 1, unitPrice: 99 },
  ],
) =>
  recorded(
    'OrderPlaced',
    { orderId, userId: 'u', items, totalAmount: 0 },
    position,
    '2024-04-30T23:00:00.000Z',
  );
const processed = (orderId: string, position: number, at = '2024-05-01T10:00:00.000Z') =>
  recorded('OrderProcessed', { orderId }, position, at);
const cancelled = (orderId: string, position: number, at = '2024-05-03T10:00:00.000Z') =>
  recorded('OrderCancelled', { orderId, reason: 'x' }, position, at);
const failed = (orderId: string, position: number) =>
  recorded('OrderFailed', { orderId, reason: 'x' }, position);

const fold = async (events: readonly RecordedEvent[], docs = memory()) => {
  await applyEvents(readModels.dailySales as never, events, docs);
  return docs;
};

describe('daily sales per product', () => {
  it('given an order processed on a day, then its lines count on that UTC day at the prices it was placed with', async () => {
    const { docs } = await fold([placed('o1', 1), processed('o1', 2)]);
    expect(daily(docs)).to.deep.equal({
      'day:2024-05-01:p1': { orders: 1, units: 2, revenue: 21 },
      'day:2024-05-01:p2': { orders: 1, units: 1, revenue: 0.99 },
    });
  });

  it('given pending, failed and cancelled-while-pending orders, then nothing counts', async () => {
    const { docs } = await fold([
      placed('o1', 1),
      placed('o2', 2),
      failed('o2', 3),
      placed('o3', 4),
      cancelled('o3', 5),
    ]);
    expect(daily(docs)).to.deep.equal({});
  });

  it('given a processed order cancelled days later, then it comes off the day it was processed', async () => {
    const { docs } = await fold([
      placed('o1', 1),
      processed('o1', 2),
      placed('o2', 3),
      processed('o2', 4),
      cancelled('o1', 5),
    ]);
    expect(daily(docs)).to.deep.equal({
      'day:2024-05-01:p1': { orders: 1, units: 2, revenue: 21 },
      'day:2024-05-01:p2': { orders: 1, units: 1, revenue: 0.99 },
    });
  });

  it('given a status event for an order it never saw placed, then it is ignored', async () => {
    const { docs } = await fold([processed('ghost', 1), cancelled('ghost', 2)]);
    expect(daily(docs)).to.deep.equal({});
  });

  it('given a log split into batches anywhere and any prefix replayed, then the documents are the same as one pass', async () => {
    const log = [
      placed('a', 1),
      placed('b', 2),
      processed('a', 3),
      processed('b', 4, '2024-05-02T01:00:00.000Z'),
      cancelled('a', 5),
      placed('c', 6),
      failed('c', 7),
      placed('d', 8),
      processed('d', 9),
      cancelled('d', 10),
    ];
    const reference = JSON.stringify([...(await fold(log)).docs.entries()].sort());
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: log.length }), { maxLength: 6 }),
        fc.integer({ min: 0, max: log.length }),
        async (cuts, replayFrom) => {
          const docs = memory();
          const bounds = [...new Set([0, ...cuts.sort((a, b) => a - b), log.length])];
          for (let i = 1; i < bounds.length; i += 1)
            await fold(log.slice(bounds[i - 1], bounds[i]), docs);
          // A crash after a commit: the same events come again, from any earlier point.
          await fold(log.slice(replayFrom), docs);
          expect(JSON.stringify([...docs.docs.entries()].sort())).to.equal(reference);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('given a half-written batch (the helper stored, a daily document not), when replayed, then the missing daily document catches up without double counting', async () => {
    const log = [placed('o1', 1), processed('o1', 2)];
    const whole = await fold(log);
    const partial = new Map([...whole.docs].filter(([id]) => id !== 'day:2024-05-01:p2'));
    const replayed = await fold(log, memory(partial));
    expect(daily(replayed.docs)).to.deep.equal(daily(whole.docs));
  });
});
