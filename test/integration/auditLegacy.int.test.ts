import { readModels } from '../../src/subscriptions.js';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { Command } from 'commander';
import { createOrderHandler } from '../../src/application/orders/index.js';
import { silentLogger, systemClock } from '../../src/application/ports/index.js';
import type { EventStore } from '../../src/application/ports/index.js';
import { upcasters, withUpcasting } from '../../src/application/upcasting/index.js';
import { registerEventCommands } from '../../src/cli/events.js';
import { TOKENS } from '../../src/container.js';
import { startProjection } from '../../src/projections/index.js';
import type { OrderDocument } from '../../src/projections/index.js';
import { startAuditSystem } from '../fixtures/auditSystem.js';
import type { AuditTestSystem } from '../fixtures/auditSystem.js';
import { appendLegacyOrders } from '../fixtures/legacyOrders.js';
import type { LegacyIds } from '../fixtures/legacyOrders.js';
import { signUp } from './support.js';

const sink = () => {
  let text = '';
  const stream = new Writable({
    write: (chunk, _encoding, done) => ((text += String(chunk)), done()),
  });
  return { stream, text: () => text };
};

describe('events in an older schema read as the current one on every path', function () {
  this.timeout(60_000);
  let system: AuditTestSystem;
  let eventStore: EventStore;
  let ids: LegacyIds;
  let admin: Awaited<ReturnType<typeof signUp>>;

  before(async () => {
    system = await startAuditSystem();
    admin = await signUp(system, 'admin');
    // Wrapping twice is harmless (current events pass untouched), so this holds before and after the container wraps.
    eventStore = withUpcasting(await system.container.get(TOKENS.eventStore), upcasters);
    ids = await appendLegacyOrders(eventStore);
  });
  after(() => system?.stop());

  it('given a legacy pending order, when handled as a command and cancelled over the API, then it folds in minor units and cancels', async () => {
    const loaded = await createOrderHandler(eventStore).load(`order-${ids.pendingOrder}`);
    expect(loaded.state).to.deep.include({ status: 'Pending', totalAmount: 6507 });

    const cancelled = await system.http('DELETE', `/api/orders/${ids.pendingOrder}`, {
      token: admin.token,
    });
    expect(cancelled.status, cancelled.text).to.equal(200);
    const read = await (
      await system.container.get(TOKENS.queries)
    ).loadOrderFromStream(ids.pendingOrder);
    expect(read).to.deep.include({ status: 'Cancelled', totalAmount: 65.07, userId: ids.customer });
    expect(read!.items).to.deep.equal([
      { productId: ids.teapot, quantity: 3, unitPrice: 19.99 },
      { productId: ids.cup, quantity: 1, unitPrice: 5.1 },
    ]);
  });

  it('given the system, when its own store and API read a legacy order, then they read it in the current shape', async () => {
    const [placed] = await (
      await system.container.get(TOKENS.eventStore)
    ).readStream(`order-${ids.processedOrder}`);
    expect(placed!.data).to.deep.include({ totalAmount: 4900 });
    const read = await system.http('GET', `/api/orders/${ids.processedOrder}`, {
      token: admin.token,
    });
    expect(read.body).to.deep.include({
      totalAmount: 49,
      items: [{ productId: ids.teapot, quantity: 2, unitPrice: 24.5 }],
    });
  });

  it('given the legacy events in the log, when the orders projection is rebuilt from 0 into a fresh collection, then its documents are right', async () => {
    const documents = await system.container.get(TOKENS.documents);
    const collection = `orders_rebuild_${randomUUID().slice(0, 8)}`;
    const rebuild = await startProjection({
      projection: readModels.orders,
      eventStore,
      documents,
      clock: systemClock,
      logger: silentLogger,
      collection,
      checkpointName: `${readModels.orders.name}.rebuild.${collection}`,
    });
    await rebuild.caughtUp;
    await rebuild.stop();

    const rebuilt = documents.collection<OrderDocument>(collection);
    expect(await rebuilt.get(ids.processedOrder)).to.deep.include({
      status: 'Processed',
      totalAmount: 49,
      items: [{ productId: ids.teapot, quantity: 2, unitPrice: 24.5 }],
    });
    expect(await rebuilt.get(ids.pendingOrder)).to.deep.include({ totalAmount: 65.07 });
    await documents.drop(collection);
  });

  it('given a legacy order, when an auditor reads its timeline and the audit log, then the events show the current shape', async () => {
    const auditor = await signUp(system, 'auditor');
    const timeline = await system.http('GET', `/api/orders/${ids.processedOrder}/timeline`, {
      token: auditor.token,
    });
    expect(timeline.status, timeline.text).to.equal(200);
    const entries = timeline.body.entries;
    expect(entries.map((entry: any) => entry.type)).to.deep.equal([
      'OrderPlaced',
      'StockReserved',
      'OrderProcessed',
    ]);
    expect(entries[0].data).to.deep.equal({
      orderId: ids.processedOrder,
      userId: ids.customer,
      items: [{ productId: ids.teapot, quantity: 2, unitPrice: 2450 }],
      totalAmount: 4900,
    });
    expect(entries[0]).to.deep.include({
      schemaVersion: 1,
      upcastFrom: 0,
      correlationId: ids.importCorrelation,
      actor: { userId: ids.customer, role: null },
    });
    expect(entries.map((entry: any) => entry.order.totalAmount)).to.deep.equal([49, 49, 49]);

    const logged = await system.http(
      'GET',
      `/api/audit/events?streamPrefix=order-${ids.processedOrder}&type=OrderPlaced`,
      { token: auditor.token },
    );
    expect(logged.body.events[0].data.totalAmount).to.equal(4900);
  });

  it('given the legacy events, when exported by the CLI, then each NDJSON line carries the current shape and its stored version', async () => {
    const out = sink();
    const program = new Command().exitOverride();
    registerEventCommands(program, async () => ({ eventStore, close: async () => {} }), {
      stdout: out.stream,
      stderr: sink().stream,
    });
    await program.parseAsync(['events', 'export', '--type', 'OrderPlaced'], { from: 'user' });

    const lines = out
      .text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const legacy = lines.find((line) => line.data.orderId === ids.processedOrder);
    expect(legacy).to.deep.include({
      type: 'OrderPlaced',
      streamId: `order-${ids.processedOrder}`,
      revision: 0,
    });
    expect(legacy.data.items).to.deep.equal([
      { productId: ids.teapot, quantity: 2, unitPrice: 2450 },
    ]);
    expect(legacy.metadata).to.include({ schemaVersion: 1, upcastFrom: 0 });
    expect(lines.every((line) => line.type === 'OrderPlaced')).to.equal(true);
  });
});
