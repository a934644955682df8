import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { schemaVersionOf } from '../../src/application/messageContext.js';
import { createSqliteEventStore } from '../../src/infrastructure/eventStore/index.js';

const PRODUCTS = 100;
const TRANSACTION = 20_000;
const DAY_START = Date.parse('2024-01-01T00:00:00.000Z');
/** About 29 days for a million events, so daily figures span weeks. */
const EVENT_SPACING_MS = 2_500;
const PROCESS_AFTER = 3;
const CANCEL_AFTER = 200;

type Row = [
  id: string,
  streamId: string,
  revision: number,
  type: string,
  data: string,
  metadata: string,
  recordedAt: number,
];

/**
 * A realistic log straight into the event store's table, many events per transaction,
 * synchronous=NORMAL: appending a million events one at a time through the port would take longer
 * than the rebuild it prepares. Every order is placed (1–2 lines, each reserving stock on its
 * product's stream), then processed a few orders later (90%), failed with its stock released
 * (5%), or processed and cancelled a couple of hundred orders later with its stock released (5%).
 */
export const fillRebuildLog = (path: string, count: number) => {
  createSqliteEventStore({ path, synchronous: 'NORMAL' }).close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const insert = db.prepare(
    'INSERT INTO events (id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const write = db.transaction((rows: Row[]) => {
    for (const row of rows) insert.run(...row);
  });
  const metadata = JSON.stringify({
    userId: randomUUID(),
    role: 'customer',
    correlationId: randomUUID(),
    schemaVersion: 1,
  });
  // OrderFailed is written at its own version today (reason codes), so a rebuild upcasts nothing.
  const failedMetadata = JSON.stringify({
    ...JSON.parse(metadata),
    schemaVersion: schemaVersionOf('OrderFailed'),
  });
  const products = Array.from({ length: PRODUCTS }, () => ({ id: randomUUID(), revision: 0 }));
  // Only the last few hundred orders are still needed: memory stays flat while filling.
  const recent = new Map<
    number,
    {
      id: string;
      lines: Array<{ product: (typeof products)[number]; quantity: number }>;
      revision: number;
    }
  >();
  let rows: Row[] = [];
  let written = 0;
  const emit = (streamId: string, revision: number, type: string, data: unknown) => {
    if (written >= count) return;
    const meta = type === 'OrderFailed' ? failedMetadata : metadata;
    rows.push([
      randomUUID(),
      streamId,
      revision,
      type,
      JSON.stringify(data),
      meta,
      DAY_START + written * EVENT_SPACING_MS,
    ]);
    written += 1;
    if (rows.length >= TRANSACTION) {
      write(rows);
      rows = [];
    }
  };
  const productEvent = (
    product: (typeof products)[number],
    type: string,
    data: Record<string, unknown>,
  ) => emit(`product-${product.id}`, product.revision++, type, { productId: product.id, ...data });

  for (const product of products)
    productEvent(product, 'ProductAdded', {
      name: `Product ${product.id.slice(0, 6)}`,
      price: 1999,
      stock: 1_000_000_000,
      addedBy: 'admin',
    });
  for (let i = 0; written < count; i += 1) {
    const id = randomUUID();
    const lines = Array.from({ length: 1 + (i % 2) }, (_, k) => ({
      product: products[(i * 7 + k * 13) % PRODUCTS]!,
      quantity: 1 + ((i + k) % 3),
    }));
    const items = lines.map(({ product, quantity }) => ({
      productId: product.id,
      quantity,
      unitPrice: 1999,
    }));
    emit(`order-${id}`, 0, 'OrderPlaced', {
      orderId: id,
      userId: randomUUID(),
      items,
      totalAmount: items.reduce((sum, line) => sum + line.quantity * 1999, 0),
    });
    for (const { product, quantity } of lines)
      productEvent(product, 'StockReserved', { orderId: id, quantity });
    recent.set(i, { id, lines, revision: 1 });
    recent.delete(i - CANCEL_AFTER - 1);

    const due = recent.get(i - PROCESS_AFTER);
    if (due && i % 20 === 7) {
      const { id: productId } = due.lines[0]!.product;
      const product = { id: productId, name: `Product ${productId.slice(0, 6)}` };
      emit(`order-${due.id}`, due.revision++, 'OrderFailed', {
        orderId: due.id,
        reason: 'insufficient_stock',
        product,
      });
      for (const { product, quantity } of due.lines)
        productEvent(product, 'StockReleased', { orderId: due.id, quantity, reason: 'failed' });
    } else if (due) emit(`order-${due.id}`, due.revision++, 'OrderProcessed', { orderId: due.id });
    const late = recent.get(i - CANCEL_AFTER);
    if (late && i % 20 === 3) {
      emit(`order-${late.id}`, late.revision++, 'OrderCancelled', {
        orderId: late.id,
        reason: 'cancelled by the customer',
      });
      for (const { product, quantity } of late.lines)
        productEvent(product, 'StockReleased', { orderId: late.id, quantity, reason: 'cancelled' });
    }
  }
  if (rows.length > 0) write(rows);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return written;
};
