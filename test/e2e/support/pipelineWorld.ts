import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { TOKENS } from '../../../src/container.js';
import type { EventStore, RecordedEvent } from '../../../src/application/ports/index.js';
import { describeFailure, toOrderStreamId } from '../../../src/domain/orders/index.js';
import type { OrderFailed } from '../../../src/domain/orders/index.js';
import {
  availableUnits,
  evolveProduct,
  initialProduct,
  toProductStreamId,
} from '../../../src/domain/products/index.js';
import type { ProductEvent } from '../../../src/domain/products/index.js';
import type { ProcessRole } from '../../../src/subscriptions.js';
import { startTestSystem } from '../../support/testSystem.js';
import type { TestSystem } from '../../support/testSystem.js';
import { addProduct, place } from '../../integration/pipeline/support.js';

/**
 * The test's side of a pipeline crash scenario: the roles it keeps in its own process (none, the
 * forwarder, the processor) on a data folder it shares with the role processes it kills, and the
 * orders it places there through the application layer, as the API would.
 */
export type Line = { productId: string; quantity: number };
export type Product = { productId: string; name: string; stock: number };

export type World = {
  system: TestSystem;
  eventStore: EventStore;
  dataDir: string;
  /** What a role process needs to work on the same data and queue. */
  env: Record<string, string>;
  products: Product[];
  orders: Map<string, Line[]>;
  stop(): Promise<void>;
};

export const openWorld = async (
  env: Record<string, string>,
  roles: readonly ProcessRole[],
): Promise<World> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pipeline-e2e-'));
  const shared = { ...env, DATA_DIR: dataDir };
  let system: TestSystem;
  try {
    system = await startTestSystem(shared, roles);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    system,
    eventStore: await system.container.get(TOKENS.eventStore),
    dataDir,
    env: shared,
    products: [],
    orders: new Map(),
    stop: async () => {
      await system.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

export const addProducts = async (world: World, stocks: readonly number[]) => {
  for (const [index, stock] of stocks.entries()) {
    const name = `Crash product ${index + 1}`;
    world.products.push({ productId: await addProduct(world.system, name, stock), name, stock });
  }
};

/** One or two lines over the world's products: enough demand that stock runs out and orders fail. */
const randomLines = (products: readonly Product[]): Line[] => {
  const pick = () => products[Math.floor(Math.random() * products.length)]!.productId;
  const first = pick();
  if (Math.random() < 0.7)
    return [{ productId: first, quantity: 1 + Math.floor(Math.random() * 2) }];
  const second = products.map((p) => p.productId).filter((id) => id !== first)[
    Math.floor(Math.random() * (products.length - 1))
  ]!;
  return [
    { productId: first, quantity: 1 },
    { productId: second, quantity: 1 },
  ];
};

/**
 * Places `count` orders, `perWave` at once with a pause between waves (to spread placement over a
 * crash loop, or none to place as fast as it goes). Placement checks availability, so place before
 * processing has used the stock up: the test wants orders that fail in the processor.
 */
export const placeInWaves = async (
  world: World,
  {
    count,
    perWave,
    pauseMs,
    products = world.products,
  }: { count: number; perWave: number; pauseMs: number; products?: readonly Product[] },
) => {
  for (let placed = 0; placed < count; placed += perWave) {
    const wave = Array.from({ length: Math.min(perWave, count - placed) }, () =>
      randomLines(products),
    );
    const ids = await Promise.all(wave.map((lines) => place(world.system, lines)));
    ids.forEach((id, index) => world.orders.set(id, wave[index]!));
    if (pauseMs > 0) await new Promise((done) => setTimeout(done, pauseMs));
  }
};

const FINAL = ['OrderProcessed', 'OrderFailed'];

/** Reads final events incrementally; `count()` is the number of orders with at least one. */
export const trackFinals = (eventStore: EventStore) => {
  const finals = new Map<string, RecordedEvent[]>();
  let after: number | undefined;
  const refresh = async () => {
    for (;;) {
      const page = await eventStore.readAll({
        ...(after === undefined ? {} : { after }),
        types: FINAL,
        maxCount: 1000,
      });
      if (page.length === 0) break;
      for (const event of page) {
        const { orderId } = event.data as { orderId: string };
        finals.set(orderId, [...(finals.get(orderId) ?? []), event]);
      }
      after = page.at(-1)!.position;
    }
    return finals;
  };
  return { refresh, count: async () => (await refresh()).size };
};

type ProductReplay = {
  name: string;
  held: Map<string, number>;
  rejected: Set<string>;
  released: Set<string>;
  available: number;
};

/**
 * Replays a product stream revision by revision: at most one StockReserved per order ever, no
 * StockReleased for an order that holds nothing (or for another quantity), and available stock
 * never below zero. Returns what each order holds at the end and which orders were rejected.
 */
const replayProduct = async (
  eventStore: EventStore,
  product: Product,
  problems: string[],
): Promise<ProductReplay> => {
  const events = await eventStore.readStream(toProductStreamId(product.productId));
  let state = initialProduct();
  const held = new Map<string, number>();
  const everReserved = new Set<string>();
  const rejected = new Set<string>();
  const released = new Set<string>();
  for (const event of events) {
    const { orderId, quantity } = event.data as { orderId?: string; quantity?: number };
    if (event.type === 'StockReserved') {
      if (everReserved.has(orderId!))
        problems.push(
          `${product.name}: second StockReserved for order ${orderId} at revision ${event.revision}`,
        );
      everReserved.add(orderId!);
      held.set(orderId!, quantity!);
    }
    if (event.type === 'StockReleased') {
      if (held.get(orderId!) !== quantity)
        problems.push(
          `${product.name}: StockReleased of ${quantity} for order ${orderId}, which held ${held.get(orderId!) ?? 'nothing'}`,
        );
      held.delete(orderId!);
      released.add(orderId!);
    }
    if (event.type === 'StockReservationRejected') rejected.add(orderId!);
    state = evolveProduct(state, event as unknown as ProductEvent);
    if (availableUnits(state) < 0)
      problems.push(
        `${product.name}: available ${availableUnits(state)} at revision ${event.revision}`,
      );
  }
  return { name: product.name, held, rejected, released, available: availableUnits(state) };
};

export type Outcome = { orders: number; processed: number; failed: number; compensated: number };

/**
 * The guarantees after a crash scenario: every order has exactly one final event; product streams
 * replay cleanly; a processed order holds each of its lines and a failed one holds nothing and
 * was rejected by the product its reason names; stock is conserved.
 */
export const expectConsistentOutcome = async (world: World): Promise<Outcome> => {
  const finals = await trackFinals(world.eventStore).refresh();
  const problems: string[] = [];
  const replays = new Map<string, ProductReplay>();
  for (const product of world.products)
    replays.set(product.productId, await replayProduct(world.eventStore, product, problems));

  const outcome: Outcome = { orders: world.orders.size, processed: 0, failed: 0, compensated: 0 };
  const sold = new Map<string, number>();
  for (const [orderId, lines] of world.orders) {
    const events = finals.get(orderId) ?? [];
    if (events.length !== 1) {
      problems.push(
        `order ${orderId} has ${events.length} final events (${events.map((e) => e.type).join(', ')})`,
      );
      continue;
    }
    const final = events[0]!;
    for (const line of lines) {
      const replay = replays.get(line.productId)!;
      const holds = replay.held.get(orderId);
      if (final.type === 'OrderProcessed') {
        if (holds !== line.quantity)
          problems.push(
            `processed order ${orderId} holds ${holds ?? 'nothing'} of ${replay.name}, ordered ${line.quantity}`,
          );
        sold.set(line.productId, (sold.get(line.productId) ?? 0) + line.quantity);
      } else if (holds !== undefined) {
        problems.push(`failed order ${orderId} still holds ${holds} of ${replay.name}`);
      }
    }
    if (final.type === 'OrderProcessed') outcome.processed += 1;
    else {
      outcome.failed += 1;
      const reason = describeFailure(final.data as OrderFailed['data']);
      const named = lines
        .map((line) => replays.get(line.productId)!)
        .find((replay) => reason === `insufficient stock for ${replay.name}`);
      if (!named?.rejected.has(orderId))
        problems.push(
          `failed order ${orderId} gives the reason "${reason}", but that product never rejected it`,
        );
      if (lines.some((line) => replays.get(line.productId)!.released.has(orderId)))
        outcome.compensated += 1;
    }
  }
  for (const product of world.products) {
    const replay = replays.get(product.productId)!;
    const expected = product.stock - (sold.get(product.productId) ?? 0);
    if (replay.available !== expected)
      problems.push(
        `${product.name}: available ${replay.available}, expected ${expected} (stock ${product.stock} less processed orders)`,
      );
  }
  expect(problems.slice(0, 20), `${problems.length} problems`).to.deep.equal([]);
  return outcome;
};

/** Every order's stream: OrderPlaced then its one final event, nothing else. */
export const expectOrderStreams = async (world: World) => {
  const odd: string[] = [];
  for (const orderId of world.orders.keys()) {
    const types = (await world.eventStore.readStream(toOrderStreamId(orderId))).map(
      (event) => event.type,
    );
    if (types.length !== 2 || types[0] !== 'OrderPlaced')
      odd.push(`${orderId}: ${types.join(', ')}`);
  }
  expect(odd.slice(0, 20), `${odd.length} order streams out of shape`).to.deep.equal([]);
};
