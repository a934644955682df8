import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { RecordedEvent } from '../../../src/application/ports/index.js';
import { decimalToMinor, upcast, upcasters } from '../../../src/application/upcasting/index.js';
import { orderDecider } from '../../../src/domain/orders/index.js';
import type { OrderEvent } from '../../../src/domain/orders/index.js';
import { fold } from '../../../src/domain/shared/index.js';
import { loadLegacyOrders } from '../../fixtures/legacyOrders.js';

const asRecorded = (
  type: string,
  data: unknown,
  metadata: RecordedEvent['metadata'],
): RecordedEvent => ({
  id: randomUUID(),
  type,
  data,
  streamId: 'order-x',
  revision: 0,
  position: 1,
  recordedAt: new Date(0),
  metadata,
});

describe('OrderPlaced v0: decimal money from the original system', () => {
  it('given legacy lines with decimal prices, when read, then they carry unitPrice and totalAmount in minor units', () => {
    const orderId = randomUUID();
    const productId = randomUUID();
    const event = asRecorded(
      'OrderPlaced',
      {
        orderId,
        userId: 'u',
        items: [{ productId, quantity: 3, price: 19.99 }],
        totalAmount: 59.97000000000001,
      },
      {},
    );
    expect(upcast(event, upcasters).data).to.deep.equal({
      orderId,
      userId: 'u',
      items: [{ productId, quantity: 3, unitPrice: 1999 }],
      totalAmount: 5997,
    });
  });

  it('given decimal amounts as text or with float noise, when converted, then they round to the nearest cent', () => {
    expect(decimalToMinor('5.10')).to.equal(510);
    expect(decimalToMinor(0.1 + 0.2)).to.equal(30);
    expect(decimalToMinor(24.5)).to.equal(2450);
    expect(() => decimalToMinor(-1)).to.throw(TypeError);
    expect(() => decimalToMinor('abc')).to.throw(TypeError);
    expect(() => decimalToMinor(undefined)).to.throw(TypeError);
  });

  it('given an OrderPlaced already in minor units but with no version, when read, then it is not scaled twice', () => {
    const data = {
      orderId: 'o',
      userId: 'u',
      items: [{ productId: 'p', quantity: 1, unitPrice: 1999 }],
      totalAmount: 1999,
    };
    expect(upcast(asRecorded('OrderPlaced', data, {}), upcasters).data).to.deep.equal(data);
  });

  it('given the legacy fixture, when every event is upcast and the orders folded, then they decide like orders placed today', () => {
    const { ids, events } = loadLegacyOrders();
    const current = events.map((event, index) =>
      upcast(
        {
          ...asRecorded(event.type, event.data, event.metadata),
          streamId: event.streamId,
          position: index + 1,
        },
        upcasters,
      ),
    );
    expect(current.every((event) => event.metadata.schemaVersion === 1)).to.equal(true);
    const pending = current.filter((event) => event.streamId === `order-${ids.pendingOrder}`);
    const order = fold(
      orderDecider,
      pending.map((event) => ({ type: event.type, data: event.data }) as OrderEvent),
    );
    expect(order).to.deep.include({ status: 'Pending', totalAmount: 6507 });
    expect(order.status !== 'None' && order.items).to.deep.equal([
      { productId: ids.teapot, quantity: 3, unitPrice: 1999 },
      { productId: ids.cup, quantity: 1, unitPrice: 510 },
    ]);
    expect(
      orderDecider.decide(
        { type: 'CancelOrder', data: { orderId: ids.pendingOrder, reason: 'r' } },
        order,
      ),
    ).to.have.length(1);
  });
});
