import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import {
  BusinessRuleViolated,
  Conflict,
  InvalidInput,
  NotFound,
  fold,
} from '../../../src/domain/index.js';
import { availableUnits, productDecider } from '../../../src/domain/products/index.js';
import type { ProductCommand, ProductEvent } from '../../../src/domain/products/index.js';
import { given } from '../../support/decider.js';

const admin = 'admin-1';

/** Builders bound to one fresh product id, so every test starts from its own stream. */
const aProduct = () => {
  const productId = randomUUID();
  return {
    productId,
    added: (stock = 10, price = 1999): ProductEvent => ({
      type: 'ProductAdded',
      data: { productId, name: 'Widget', price, stock, addedBy: admin },
    }),
    deleted: (): ProductEvent => ({ type: 'ProductDeleted', data: { productId } }),
    reserved: (orderId: string, quantity: number): ProductEvent => ({
      type: 'StockReserved',
      data: { productId, orderId, quantity },
    }),
    released: (orderId: string, quantity: number, reason = 'order_cancelled'): ProductEvent => ({
      type: 'StockReleased',
      data: { productId, orderId, quantity, reason },
    }),
    rejected: (orderId: string, quantity: number, available: number): ProductEvent => ({
      type: 'StockReservationRejected',
      data: { productId, orderId, quantity, available, reason: 'insufficient_stock' },
    }),
    add: (data: Partial<{ name: string; price: number; stock: number }> = {}): ProductCommand => ({
      type: 'AddProduct',
      data: { productId, name: 'Widget', price: 1999, stock: 10, addedBy: admin, ...data },
    }),
    update: (data: { name?: string; price?: number; stock?: number }): ProductCommand => ({
      type: 'UpdateProduct',
      data: { productId, ...data },
    }),
    delete: (): ProductCommand => ({ type: 'DeleteProduct', data: { productId } }),
    reserve: (orderId: string, quantity: number): ProductCommand => ({
      type: 'ReserveStock',
      data: { productId, orderId, quantity },
    }),
    release: (orderId: string, reason = 'order_cancelled'): ProductCommand => ({
      type: 'ReleaseStock',
      data: { productId, orderId, reason },
    }),
  };
};

describe('product decider', () => {
  describe('AddProduct', () => {
    it('adds a new product', () => {
      const p = aProduct();
      given(productDecider, [])
        .when(p.add())
        .then([p.added(10, 1999)]);
    });

    it('trims the name', () => {
      const p = aProduct();
      given(productDecider, [])
        .when(p.add({ name: '  Widget \t' }))
        .then([p.added()]);
    });

    it('allows a stock of 0', () => {
      const p = aProduct();
      given(productDecider, [])
        .when(p.add({ stock: 0 }))
        .then([p.added(0)]);
    });

    for (const [label, data] of [
      ['an empty name', { name: '' }],
      ['a blank name', { name: '   ' }],
      ['a negative stock', { stock: -1 }],
      ['a fractional stock', { stock: 1.5 }],
      ['a non-finite stock', { stock: Number.POSITIVE_INFINITY }],
      ['a negative price', { price: -1 }],
      ['a fractional price', { price: 19.99 }],
      ['a NaN price', { price: Number.NaN }],
    ] as const) {
      it(`refuses ${label} as InvalidInput`, () => {
        const p = aProduct();
        given(productDecider, []).when(p.add(data)).thenThrows(InvalidInput);
      });
    }

    it('refuses a product that already exists', () => {
      const p = aProduct();
      given(productDecider, [p.added()])
        .when(p.add())
        .thenThrows(Conflict, /already exists/);
    });

    it('refuses to re-add a deleted product', () => {
      const p = aProduct();
      given(productDecider, [p.added(), p.deleted()]).when(p.add()).thenThrows(Conflict);
    });
  });

  describe('UpdateProduct', () => {
    it('changes only the fields it names', () => {
      const p = aProduct();
      given(productDecider, [p.added()])
        .when(p.update({ price: 2500 }))
        .then([{ type: 'ProductUpdated', data: { productId: p.productId, price: 2500 } }]);
    });

    it('trims a new name and records name and price in one event', () => {
      const p = aProduct();
      given(productDecider, [p.added()])
        .when(p.update({ name: ' Gadget ', price: 0 }))
        .then([
          { type: 'ProductUpdated', data: { productId: p.productId, name: 'Gadget', price: 0 } },
        ]);
    });

    it('records a stock change as StockAdjusted with the previous count', () => {
      const p = aProduct();
      given(productDecider, [p.added(10)])
        .when(p.update({ name: 'Gadget', stock: 4 }))
        .then([
          { type: 'ProductUpdated', data: { productId: p.productId, name: 'Gadget' } },
          { type: 'StockAdjusted', data: { productId: p.productId, stock: 4, previous: 10 } },
        ]);
    });

    it('is a no-op when nothing changes', () => {
      const p = aProduct();
      given(productDecider, [p.added(10, 1999)])
        .when(p.update({ name: ' Widget ', price: 1999, stock: 10 }))
        .then([]);
      given(productDecider, [p.added()]).when(p.update({})).then([]);
    });

    it('allows stock down to exactly what is reserved', () => {
      const p = aProduct();
      const orderId = randomUUID();
      given(productDecider, [p.added(10), p.reserved(orderId, 6)])
        .when(p.update({ stock: 6 }))
        .then([
          { type: 'StockAdjusted', data: { productId: p.productId, stock: 6, previous: 10 } },
        ]);
    });

    it('refuses stock below what orders have reserved', () => {
      const p = aProduct();
      const error = given(productDecider, [p.added(10), p.reserved(randomUUID(), 6)])
        .when(p.update({ stock: 5 }))
        .thenThrows(BusinessRuleViolated, /reserved/);
      expect(error.details).to.deep.equal({ reserved: 6 });
    });

    it('refuses invalid values', () => {
      const p = aProduct();
      given(productDecider, [p.added()])
        .when(p.update({ name: ' ' }))
        .thenThrows(InvalidInput);
      given(productDecider, [p.added()])
        .when(p.update({ price: -5 }))
        .thenThrows(InvalidInput);
      given(productDecider, [p.added()])
        .when(p.update({ stock: -1 }))
        .thenThrows(InvalidInput);
      given(productDecider, [p.added()])
        .when(p.update({ stock: 2.5 }))
        .thenThrows(InvalidInput);
    });

    it('refuses an unknown or deleted product as NotFound', () => {
      const p = aProduct();
      given(productDecider, [])
        .when(p.update({ price: 1 }))
        .thenThrows(NotFound);
      given(productDecider, [p.added(), p.deleted()])
        .when(p.update({ price: 1 }))
        .thenThrows(NotFound);
    });
  });

  describe('DeleteProduct', () => {
    it('deletes an active product', () => {
      const p = aProduct();
      given(productDecider, [p.added()]).when(p.delete()).then([p.deleted()]);
    });

    it('refuses an unknown or already deleted product as NotFound', () => {
      const p = aProduct();
      given(productDecider, []).when(p.delete()).thenThrows(NotFound);
      given(productDecider, [p.added(), p.deleted()]).when(p.delete()).thenThrows(NotFound);
    });
  });

  describe('ReserveStock', () => {
    it('reserves available units for an order', () => {
      const p = aProduct();
      const orderId = randomUUID();
      given(productDecider, [p.added(5)])
        .when(p.reserve(orderId, 5))
        .then([p.reserved(orderId, 5)]);
    });

    it('rejects what it cannot meet, stating what is available', () => {
      const p = aProduct();
      const orderId = randomUUID();
      given(productDecider, [p.added(5), p.reserved(randomUUID(), 3)])
        .when(p.reserve(orderId, 3))
        .then([p.rejected(orderId, 3, 2)]);
    });

    it('rejects a reservation on a deleted product with reason product_deleted', () => {
      const p = aProduct();
      const orderId = randomUUID();
      given(productDecider, [p.added(5), p.deleted()])
        .when(p.reserve(orderId, 1))
        .then([
          {
            type: 'StockReservationRejected',
            data: {
              productId: p.productId,
              orderId,
              quantity: 1,
              available: 0,
              reason: 'product_deleted',
            },
          },
        ]);
    });

    it('reserves at most once per order: a second reserve is a no-op', () => {
      const p = aProduct();
      const orderId = randomUUID();
      given(productDecider, [p.added(5), p.reserved(orderId, 2)])
        .when(p.reserve(orderId, 2))
        .then([]);
      given(productDecider, [p.added(5), p.reserved(orderId, 2)])
        .when(p.reserve(orderId, 3))
        .then([]);
    });

    it('does not reserve again for an order that was released or rejected', () => {
      const p = aProduct();
      const released = randomUUID();
      const rejected = randomUUID();
      const history = [
        p.added(5),
        p.reserved(released, 2),
        p.released(released, 2),
        p.rejected(rejected, 9, 5),
      ];
      given(productDecider, history).when(p.reserve(released, 2)).then([]);
      given(productDecider, history).when(p.reserve(rejected, 1)).then([]);
    });

    it('refuses an unknown product as NotFound', () => {
      const p = aProduct();
      given(productDecider, []).when(p.reserve(randomUUID(), 1)).thenThrows(NotFound);
    });

    for (const quantity of [0, -1, 1.5, Number.NaN]) {
      it(`refuses a quantity of ${quantity} as InvalidInput`, () => {
        const p = aProduct();
        given(productDecider, [p.added(5)])
          .when(p.reserve(randomUUID(), quantity))
          .thenThrows(InvalidInput);
      });
    }
  });

  describe('ReleaseStock', () => {
    it('releases exactly the quantity the order holds', () => {
      const p = aProduct();
      const orderId = randomUUID();
      given(productDecider, [p.added(5), p.reserved(orderId, 3), p.reserved(randomUUID(), 1)])
        .when(p.release(orderId, 'order_failed'))
        .then([p.released(orderId, 3, 'order_failed')]);
    });

    it('releases what an order holds on a deleted product', () => {
      const p = aProduct();
      const orderId = randomUUID();
      given(productDecider, [p.added(5), p.reserved(orderId, 3), p.deleted()])
        .when(p.release(orderId))
        .then([p.released(orderId, 3)]);
    });

    it('is a no-op when the order holds nothing', () => {
      const p = aProduct();
      const orderId = randomUUID();
      given(productDecider, [p.added(5)])
        .when(p.release(orderId))
        .then([]);
      given(productDecider, [p.added(5), p.reserved(orderId, 3), p.released(orderId, 3)])
        .when(p.release(orderId))
        .then([]);
    });

    it('refuses an unknown product as NotFound', () => {
      const p = aProduct();
      given(productDecider, []).when(p.release(randomUUID())).thenThrows(NotFound);
    });
  });

  describe('availableUnits', () => {
    it('is stock less what open orders hold', () => {
      const p = aProduct();
      const [a, b] = [randomUUID(), randomUUID()];
      const state = fold(productDecider, [
        p.added(10),
        p.reserved(a, 3),
        p.reserved(b, 4),
        p.released(a, 3),
      ]);
      expect(availableUnits(state)).to.equal(6);
    });

    it('follows stock adjustments', () => {
      const p = aProduct();
      const stockAdjusted: ProductEvent = {
        type: 'StockAdjusted',
        data: { productId: p.productId, stock: 7, previous: 10 },
      };
      expect(
        availableUnits(
          fold(productDecider, [p.added(10), p.reserved(randomUUID(), 2), stockAdjusted]),
        ),
      ).to.equal(5);
    });

    it('is 0 for an unknown or deleted product', () => {
      const p = aProduct();
      expect(availableUnits(productDecider.initialState())).to.equal(0);
      expect(availableUnits(fold(productDecider, [p.added(10), p.deleted()]))).to.equal(0);
    });
  });
});
