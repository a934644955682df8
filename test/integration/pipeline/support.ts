import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { TOKENS } from '../../../src/container.js';
import { placeOrder } from '../../../src/application/orders/index.js';
import { toProductStreamId } from '../../../src/domain/products/index.js';
import {
  evolveProduct,
  initialProduct,
  availableUnits,
} from '../../../src/domain/products/index.js';
import type { ProductEvent } from '../../../src/domain/products/index.js';
import type { RecordedEvent } from '../../../src/application/ports/index.js';
import type { TestSystem } from '../../support/testSystem.js';

const context = () => ({ userId: randomUUID(), role: 'customer', correlationId: randomUUID() });

/** Adds a product through the real command handler, as the API would. */
export const addProduct = async (system: TestSystem, name: string, stock: number, price = 100) => {
  const products = await system.container.get(TOKENS.products);
  const productId = randomUUID();
  await products.handle(
    toProductStreamId(productId),
    { type: 'AddProduct', data: { productId, name, price, stock, addedBy: 'test' } },
    { ...context(), role: 'admin' },
  );
  return productId;
};

/** Places an order as a fresh customer, through the same application function the API uses. */
export const place = async (
  system: TestSystem,
  items: Array<{ productId: string; quantity: number }>,
) => {
  const [orders, products] = await Promise.all([
    system.container.get(TOKENS.orders),
    system.container.get(TOKENS.products),
  ]);
  const ctx = context();
  const placed = await placeOrder({ orders, products }, { userId: ctx.userId, items }, ctx);
  return placed.orderId;
};

const FINAL = ['OrderProcessed', 'OrderFailed'];

/** Bounded wait until every order has a final event; returns each order's final event. */
export const waitForFinal = async (
  system: TestSystem,
  orderIds: readonly string[],
  timeoutMs = 120_000,
) => {
  const eventStore = await system.container.get(TOKENS.eventStore);
  const wanted = new Set(orderIds);
  const finals = new Map<string, RecordedEvent[]>();
  const deadline = Date.now() + timeoutMs;
  let after: number | undefined;
  while (Date.now() < deadline) {
    for (;;) {
      const page = await eventStore.readAll({
        ...(after === undefined ? {} : { after }),
        types: FINAL,
        maxCount: 1000,
      });
      if (page.length === 0) break;
      for (const event of page) {
        const { orderId } = event.data as { orderId: string };
        if (wanted.has(orderId)) finals.set(orderId, [...(finals.get(orderId) ?? []), event]);
      }
      after = page.at(-1)!.position;
    }
    if ([...wanted].every((id) => finals.has(id))) return finals;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `${[...wanted].filter((id) => !finals.has(id)).length} of ${wanted.size} orders never reached a final status`,
  );
};

/** Folds a product stream revision by revision, asserting available stock never goes below zero. */
export const expectNeverOversold = async (system: TestSystem, productId: string) => {
  const eventStore = await system.container.get(TOKENS.eventStore);
  const events = await eventStore.readStream(toProductStreamId(productId));
  let state = initialProduct();
  const reservedFor = new Map<string, number>();
  for (const event of events) {
    state = evolveProduct(state, event as unknown as ProductEvent);
    expect(availableUnits(state), `available at revision ${event.revision}`).to.be.at.least(0);
    if (event.type === 'StockReserved') {
      const { orderId } = event.data as { orderId: string };
      reservedFor.set(orderId, (reservedFor.get(orderId) ?? 0) + 1);
      expect(reservedFor.get(orderId), `reservations of order ${orderId}`).to.equal(1);
    }
  }
  return { state, events };
};
