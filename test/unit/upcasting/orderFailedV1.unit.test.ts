import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { EventMetadata, RecordedEvent } from '../../../src/application/ports/index.js';
import { upcast, upcasters } from '../../../src/application/upcasting/index.js';
import { orderDecider } from '../../../src/domain/orders/index.js';
import type { OrderEvent } from '../../../src/domain/orders/index.js';
import { fold } from '../../../src/domain/shared/index.js';

const asRecorded = (type: string, data: unknown, metadata: EventMetadata): RecordedEvent => ({
  id: randomUUID(),
  type,
  data,
  streamId: 'order-x',
  revision: 1,
  position: 2,
  recordedAt: new Date(0),
  metadata,
});

/** An order placed, then failed with a sentence, as the log held it before reason codes (v1). */
const legacyFailure = (reason: string, metadata: EventMetadata = { schemaVersion: 1 }) => {
  const orderId = randomUUID();
  const placed = asRecorded(
    'OrderPlaced',
    {
      orderId,
      userId: 'u',
      items: [{ productId: randomUUID(), quantity: 1, unitPrice: 100 }],
      totalAmount: 100,
    },
    { schemaVersion: 1 },
  );
  return { orderId, placed, failed: asRecorded('OrderFailed', { orderId, reason }, metadata) };
};

const foldOrder = (events: readonly RecordedEvent[]) =>
  fold(
    orderDecider,
    events
      .map((event) => upcast(event, upcasters))
      .map((event) => ({ type: event.type, data: event.data }) as OrderEvent),
  );

describe('OrderFailed v1: a sentence where v2 has a reason code and the product', () => {
  it('given a legacy failure for an unknown product, when read, then it carries the code and the product id from the sentence', () => {
    const productId = randomUUID();
    const { orderId, failed } = legacyFailure(`product ${productId} does not exist`);
    const current = upcast(failed, upcasters);
    expect(current.data).to.deep.equal({
      orderId,
      reason: 'product_unknown',
      product: { id: productId },
    });
    expect(current.metadata).to.include({ schemaVersion: 2, upcastFrom: 1 });
  });

  it('given a legacy failure naming the product by name, when read, then the sentence is kept as an unspecified failure', () => {
    const { orderId, failed } = legacyFailure('insufficient stock for Teapot');
    expect(upcast(failed, upcasters).data).to.deep.equal({
      orderId,
      reason: 'unspecified',
      description: 'insufficient stock for Teapot',
    });
  });

  it('given a legacy failure with no version at all (v0), when read, then the same step brings it to v2', () => {
    const { failed } = legacyFailure('product Old was deleted', {});
    expect(upcast(failed, upcasters).data).to.include({
      reason: 'unspecified',
      description: 'product Old was deleted',
    });
  });

  it('given legacy failures, when the order is folded, then its failureReason is the sentence it always was', () => {
    for (const sentence of [
      'insufficient stock for Teapot',
      `product ${randomUUID()} does not exist`,
      'payment declined',
    ]) {
      const { placed, failed } = legacyFailure(sentence);
      expect(foldOrder([placed, failed])).to.include({ status: 'Failed', failureReason: sentence });
    }
  });

  it('given a v2 failure, when read, then it passes as it is; stamped v1 by mistake, its data is not rewritten', () => {
    const data = { orderId: 'o', reason: 'product_deleted', product: { id: 'p', name: 'Gone' } };
    const v2 = asRecorded('OrderFailed', data, { schemaVersion: 2 });
    expect(upcast(v2, upcasters)).to.equal(v2);
    expect(
      upcast(asRecorded('OrderFailed', data, { schemaVersion: 1 }), upcasters).data,
    ).to.deep.equal(data);
  });

  it('given OrderFailed at v2, then every other type stays at its own version (OrderPlaced v1)', () => {
    const { placed } = legacyFailure('x');
    expect(upcast(placed, upcasters)).to.equal(placed);
  });
});
