import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { answerOf } from '../../../src/application/orderProcessing/replies.js';
import { productDecider } from '../../../src/domain/products/index.js';
import type { ProductEvent } from '../../../src/domain/products/index.js';
import { fold } from '../../../src/domain/shared/index.js';

/** A product named Widget, and the events of one order's reservation on it. */
const aProduct = () => {
  const productId = randomUUID();
  const orderId = randomUUID();
  return {
    productId,
    orderId,
    added: (): ProductEvent => ({
      type: 'ProductAdded',
      data: { productId, name: 'Widget', price: 100, stock: 5, addedBy: 'admin' },
    }),
    reserved: (): ProductEvent => ({
      type: 'StockReserved',
      data: { productId, orderId, quantity: 2 },
    }),
    released: (): ProductEvent => ({
      type: 'StockReleased',
      data: { productId, orderId, quantity: 2, reason: 'compensation: order failed' },
    }),
    rejected: (reason: 'insufficient_stock' | 'product_deleted'): ProductEvent => ({
      type: 'StockReservationRejected',
      data: { productId, orderId, quantity: 9, available: 5, reason },
    }),
  };
};

describe('order workflow: what a product answers, from the state its handler returns', () => {
  it('given a reservation held, then the answer is StockReserved', () => {
    const p = aProduct();
    expect(
      answerOf(fold(productDecider, [p.added(), p.reserved()]), p.orderId, p.productId),
    ).to.deep.equal([
      { type: 'StockReserved', data: { orderId: p.orderId, productId: p.productId } },
    ]);
  });

  it('given a reservation reserved then released, when asked again after a crash, then the answer is StockReleased, not a refusal', () => {
    const p = aProduct();
    const product = fold(productDecider, [p.added(), p.reserved(), p.released()]);
    expect(answerOf(product, p.orderId, p.productId)).to.deep.equal([
      { type: 'StockReleased', data: { orderId: p.orderId, productId: p.productId } },
    ]);
  });

  it('given a reservation refused, when asked again after a crash, then the answer is the same refusal, with the reason and the name', () => {
    const p = aProduct();
    for (const reason of ['insufficient_stock', 'product_deleted'] as const) {
      const product = fold(productDecider, [p.added(), p.rejected(reason)]);
      expect(answerOf(product, p.orderId, p.productId)).to.deep.equal([
        {
          type: 'StockReservationRejected',
          data: { orderId: p.orderId, productId: p.productId, productName: 'Widget', reason },
        },
      ]);
    }
  });

  it('given an order the product never heard of, then there is no answer', () => {
    const p = aProduct();
    expect(answerOf(fold(productDecider, [p.added()]), p.orderId, p.productId)).to.deep.equal([]);
  });
});
