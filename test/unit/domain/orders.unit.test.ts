import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import {
  BusinessRuleViolated,
  Conflict,
  InvalidInput,
  NotFound,
  fold,
} from '../../../src/domain/index.js';
import { MAX_ORDER_LINES, orderDecider } from '../../../src/domain/orders/index.js';
import type {
  OrderCommand,
  OrderEvent,
  OrderFailure,
  OrderLine,
  ProductAtPlacement,
} from '../../../src/domain/orders/index.js';
import { given } from '../../support/decider.js';

type Item = { productId: string; quantity: number };

const shortOf = (name = 'Widget'): OrderFailure => ({
  reason: 'insufficient_stock',
  product: { id: randomUUID(), name },
});
const deletedProduct: OrderFailure = {
  reason: 'product_deleted',
  product: { id: randomUUID(), name: 'Gone' },
};

const active = (price: number, available = 100): ProductAtPlacement => ({
  status: 'Active',
  name: 'Widget',
  price,
  available,
});

/** Builders bound to one fresh order id and user. */
const anOrder = () => {
  const orderId = randomUUID();
  const userId = randomUUID();
  const line: OrderLine = { productId: randomUUID(), quantity: 2, unitPrice: 1999 };
  return {
    orderId,
    userId,
    place: (items: Item[], products: Record<string, ProductAtPlacement>): OrderCommand => ({
      type: 'PlaceOrder',
      data: { orderId, userId, items, products },
    }),
    placed: (items: OrderLine[] = [line], totalAmount = 3998): OrderEvent => ({
      type: 'OrderPlaced',
      data: { orderId, userId, items, totalAmount },
    }),
    processed: (): OrderEvent => ({ type: 'OrderProcessed', data: { orderId } }),
    failed: (failure: OrderFailure = shortOf()): OrderEvent => ({
      type: 'OrderFailed',
      data: { orderId, ...failure },
    }),
    cancelled: (reason = 'changed my mind'): OrderEvent => ({
      type: 'OrderCancelled',
      data: { orderId, reason },
    }),
    markProcessed: (): OrderCommand => ({ type: 'MarkOrderProcessed', data: { orderId } }),
    fail: (failure: OrderFailure = shortOf()): OrderCommand => ({
      type: 'FailOrder',
      data: { orderId, ...failure },
    }),
    cancel: (reason = 'changed my mind'): OrderCommand => ({
      type: 'CancelOrder',
      data: { orderId, reason },
    }),
  };
};

describe('order decider', () => {
  describe('PlaceOrder', () => {
    it('prices each line from the product snapshot and totals in minor units', () => {
      const o = anOrder();
      const [a, b] = [randomUUID(), randomUUID()];
      given(orderDecider, [])
        .when(
          o.place(
            [
              { productId: a, quantity: 2 },
              { productId: b, quantity: 3 },
            ],
            { [a]: active(1999), [b]: active(5) },
          ),
        )
        .then([
          o.placed(
            [
              { productId: a, quantity: 2, unitPrice: 1999 },
              { productId: b, quantity: 3, unitPrice: 5 },
            ],
            4013,
          ),
        ]);
    });

    it('merges lines naming the same product, in first-seen order', () => {
      const o = anOrder();
      const [a, b] = [randomUUID(), randomUUID()];
      given(orderDecider, [])
        .when(
          o.place(
            [
              { productId: a, quantity: 1 },
              { productId: b, quantity: 1 },
              { productId: a, quantity: 2 },
            ],
            { [a]: active(100, 3), [b]: active(250, 1) },
          ),
        )
        .then([
          o.placed(
            [
              { productId: a, quantity: 3, unitPrice: 100 },
              { productId: b, quantity: 1, unitPrice: 250 },
            ],
            550,
          ),
        ]);
    });

    it('accepts a free product', () => {
      const o = anOrder();
      const a = randomUUID();
      given(orderDecider, [])
        .when(o.place([{ productId: a, quantity: 4 }], { [a]: active(0) }))
        .then([o.placed([{ productId: a, quantity: 4, unitPrice: 0 }], 0)]);
    });

    it('refuses an order with no items', () => {
      const o = anOrder();
      given(orderDecider, [])
        .when(o.place([], {}))
        .thenThrows(InvalidInput, /at least one item/);
    });

    for (const quantity of [0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) {
      it(`refuses a quantity of ${quantity}`, () => {
        const o = anOrder();
        const a = randomUUID();
        given(orderDecider, [])
          .when(o.place([{ productId: a, quantity }], { [a]: active(100) }))
          .thenThrows(InvalidInput, /positive integer/);
      });
    }

    it('refuses a product missing from the snapshots or unknown', () => {
      const o = anOrder();
      const [a, b] = [randomUUID(), randomUUID()];
      given(orderDecider, [])
        .when(o.place([{ productId: a, quantity: 1 }], {}))
        .thenThrows(BusinessRuleViolated, /does not exist/);
      given(orderDecider, [])
        .when(o.place([{ productId: b, quantity: 1 }], { [b]: { status: 'Unknown' } }))
        .thenThrows(BusinessRuleViolated, /does not exist/);
    });

    // Regression: the snapshot lookup used to find Object.prototype members (price undefined, total NaN).
    for (const productId of ['constructor', 'toString', '__proto__']) {
      it(`refuses the id '${productId}' when no snapshot has it`, () => {
        const o = anOrder();
        given(orderDecider, [])
          .when(o.place([{ productId, quantity: 1 }], {}))
          .thenThrows(BusinessRuleViolated, /does not exist/);
      });
    }

    it('refuses a deleted product', () => {
      const o = anOrder();
      const a = randomUUID();
      given(orderDecider, [])
        .when(
          o.place([{ productId: a, quantity: 1 }], {
            [a]: { status: 'Deleted', name: 'Old', price: 1, available: 0 },
          }),
        )
        .thenThrows(BusinessRuleViolated, /deleted/);
    });

    it('refuses more than is available, counting merged lines together', () => {
      const o = anOrder();
      const a = randomUUID();
      const error = given(orderDecider, [])
        .when(
          o.place(
            [
              { productId: a, quantity: 2 },
              { productId: a, quantity: 2 },
            ],
            { [a]: active(100, 3) },
          ),
        )
        .thenThrows(BusinessRuleViolated, /only 3/);
      expect(error.details).to.deep.equal({ productId: a, available: 3 });
    });

    it(`accepts ${MAX_ORDER_LINES} products and refuses one more`, () => {
      const ids = Array.from({ length: MAX_ORDER_LINES + 1 }, () => randomUUID());
      const products = Object.fromEntries(ids.map((id) => [id, active(7)]));
      const items = ids.map((productId) => ({ productId, quantity: 1 }));
      const o = anOrder();
      given(orderDecider, [])
        .when(o.place(items.slice(0, MAX_ORDER_LINES), products))
        .then([
          o.placed(
            items.slice(0, MAX_ORDER_LINES).map((item) => ({ ...item, unitPrice: 7 })),
            7 * MAX_ORDER_LINES,
          ),
        ]);
      given(orderDecider, [])
        .when(anOrder().place(items, products))
        .thenThrows(InvalidInput, /at most 100/);
    });

    it('counts distinct products, not item rows, against the line limit', () => {
      const o = anOrder();
      const a = randomUUID();
      const items = Array.from({ length: MAX_ORDER_LINES + 1 }, () => ({
        productId: a,
        quantity: 1,
      }));
      given(orderDecider, [])
        .when(o.place(items, { [a]: active(10, 1000) }))
        .then([o.placed([{ productId: a, quantity: MAX_ORDER_LINES + 1, unitPrice: 10 }], 1010)]);
    });

    it('refuses an order id that is already placed', () => {
      const o = anOrder();
      const a = randomUUID();
      given(orderDecider, [o.placed()])
        .when(o.place([{ productId: a, quantity: 1 }], { [a]: active(1) }))
        .thenThrows(Conflict, /already exists/);
    });
  });

  describe('MarkOrderProcessed', () => {
    it('processes a pending order', () => {
      const o = anOrder();
      given(orderDecider, [o.placed()]).when(o.markProcessed()).then([o.processed()]);
    });

    it('is a no-op for a processed order', () => {
      const o = anOrder();
      given(orderDecider, [o.placed(), o.processed()]).when(o.markProcessed()).then([]);
    });

    it('refuses a failed or cancelled order as Conflict', () => {
      const o = anOrder();
      given(orderDecider, [o.placed(), o.failed()])
        .when(o.markProcessed())
        .thenThrows(Conflict, /Failed/);
      given(orderDecider, [o.placed(), o.cancelled()])
        .when(o.markProcessed())
        .thenThrows(Conflict, /Cancelled/);
    });

    it('refuses an order that does not exist as NotFound', () => {
      given(orderDecider, []).when(anOrder().markProcessed()).thenThrows(NotFound);
    });
  });

  describe('FailOrder', () => {
    it('fails a pending order with its reason code and product', () => {
      const o = anOrder();
      given(orderDecider, [o.placed()])
        .when(o.fail(deletedProduct))
        .then([o.failed(deletedProduct)]);
    });

    it('is a no-op for a failed order', () => {
      const o = anOrder();
      given(orderDecider, [o.placed(), o.failed()]).when(o.fail(deletedProduct)).then([]);
    });

    it('refuses a processed or cancelled order as Conflict', () => {
      const o = anOrder();
      given(orderDecider, [o.placed(), o.processed()])
        .when(o.fail())
        .thenThrows(Conflict, /Processed/);
      given(orderDecider, [o.placed(), o.cancelled()])
        .when(o.fail())
        .thenThrows(Conflict, /Cancelled/);
    });

    it('refuses an order that does not exist as NotFound', () => {
      given(orderDecider, []).when(anOrder().fail()).thenThrows(NotFound);
    });
  });

  describe('CancelOrder', () => {
    it('cancels a pending order', () => {
      const o = anOrder();
      given(orderDecider, [o.placed()])
        .when(o.cancel('too slow'))
        .then([o.cancelled('too slow')]);
    });

    it('cancels a processed order', () => {
      const o = anOrder();
      given(orderDecider, [o.placed(), o.processed()]).when(o.cancel()).then([o.cancelled()]);
    });

    it('is a no-op for a cancelled order', () => {
      const o = anOrder();
      given(orderDecider, [o.placed(), o.cancelled()]).when(o.cancel('again')).then([]);
    });

    it('refuses a failed order as Conflict', () => {
      const o = anOrder();
      given(orderDecider, [o.placed(), o.failed()])
        .when(o.cancel())
        .thenThrows(Conflict, /failed/);
    });

    it('refuses an order that does not exist as NotFound', () => {
      given(orderDecider, []).when(anOrder().cancel()).thenThrows(NotFound);
    });
  });

  describe('evolve', () => {
    it('keeps the placed facts through every status', () => {
      const o = anOrder();
      const lines: OrderLine[] = [{ productId: randomUUID(), quantity: 3, unitPrice: 150 }];
      const placed = o.placed(lines, 450);
      const facts = { orderId: o.orderId, userId: o.userId, items: lines, totalAmount: 450 };
      expect(fold(orderDecider, [placed])).to.deep.equal({ status: 'Pending', ...facts });
      expect(fold(orderDecider, [placed, o.processed()])).to.deep.equal({
        status: 'Processed',
        ...facts,
      });
      const short = shortOf('Teapot');
      expect(fold(orderDecider, [placed, o.failed(short)])).to.deep.equal({
        status: 'Failed',
        ...facts,
        failure: short,
        failureReason: 'insufficient stock for Teapot',
      });
    });

    it('records whether a cancelled order was pending or processed', () => {
      const o = anOrder();
      expect(fold(orderDecider, [o.placed(), o.cancelled('a')])).to.include({
        status: 'Cancelled',
        cancelReason: 'a',
        cancelledFrom: 'Pending',
      });
      expect(fold(orderDecider, [o.placed(), o.processed(), o.cancelled('b')])).to.include({
        status: 'Cancelled',
        cancelReason: 'b',
        cancelledFrom: 'Processed',
      });
    });

    it('ignores events before OrderPlaced', () => {
      const o = anOrder();
      expect(fold(orderDecider, [o.processed(), o.cancelled()])).to.deep.equal({ status: 'None' });
    });
  });
});
