import type { Recipients } from '../../application/accounts/index.js';
import { canHandle } from '../../application/ports/index.js';
import type { DocumentStore, EventStore, MailMessage } from '../../application/ports/index.js';
import { orderMail } from '../../application/notifications/index.js';
import { createStreamFolder } from '../../application/streamFolder.js';
import {
  evolveProduct,
  initialProduct,
  productEventTypes,
  toProductStreamId,
} from '../../domain/products/index.js';
import type { Product, ProductEvent } from '../../domain/products/index.js';
import { productsReadModel } from '../../projections/index.js';
import type { EmailEntry } from './ledger.js';
import type { NotifierSettings } from './settings.js';

/** Nothing a retry could change: the mail is failed at once, with this reason. */
export class Undeliverable extends Error {
  override name = 'Undeliverable';
  readonly permanent = true;
}

/** The Mail port declares no error types: adapters flag a failure no retry can fix with `permanent`. */
export const isPermanent = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  (error as { permanent?: unknown }).permanent === true;

// The WHATWG address grammar: refusing here gives one clear reason whichever adapter is bound.
const ADDRESS =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

type ProductName = { _id: string; name: string };

export type ProductNames = (ids: readonly string[]) => Promise<Map<string, string>>;

const isProductEvent = canHandle<ProductEvent>(productEventTypes);

/**
 * Names as they are now: the catalog read model first (one query), then the product's own stream
 * for any the catalog lacks (not projected yet, or the projector runs elsewhere and lags), folded
 * through the application's stream folder so a popular product is not folded from zero each time.
 */
export const createProductNames = (
  eventStore: EventStore,
  documents: DocumentStore,
): ProductNames => {
  const streams = createStreamFolder<Product>({
    eventStore,
    evolve: (product, event) => (isProductEvent(event) ? evolveProduct(product, event) : product),
    initialState: initialProduct,
  });
  const catalog = documents.collection<ProductName>(productsReadModel.collection);
  return async (ids) => {
    const names = new Map<string, string>();
    if (ids.length === 0) return names;
    for (const doc of await catalog.find({ _id: { $in: [...ids] } }))
      if (typeof doc.name === 'string') names.set(doc._id, doc.name);
    for (const id of ids.filter((productId) => !names.has(productId))) {
      const { state: product } = await streams.load(toProductStreamId(id));
      if (product.status !== 'Unknown') names.set(id, product.name);
    }
    return names;
  };
};

export type RenderDeps = {
  recipients: Recipients;
  productNames: ProductNames;
  settings: Pick<NotifierSettings, 'appName' | 'currency'>;
};

/** The mail for a ledger entry, addressed to the order's owner as their account says now. */
export const renderEntry = async (
  { recipients, productNames, settings }: RenderDeps,
  entry: EmailEntry,
): Promise<MailMessage> => {
  const user = await recipients(entry.userId);
  if (!user)
    throw new Undeliverable(`recipient unknown: no account ${entry.userId || '(none)'} (deleted?)`);
  if (typeof user.email !== 'string' || !ADDRESS.test(user.email)) {
    throw new Undeliverable(
      `recipient address of account ${entry.userId} is not a valid email address`,
    );
  }
  const names = await productNames([...new Set(entry.items.map((item) => item.productId))]);
  const content = orderMail({
    kind: entry.kind,
    appName: settings.appName,
    currency: settings.currency,
    customerName: user.name?.trim() || 'customer',
    orderId: entry.orderId,
    reason: entry.reason,
    totalAmount: entry.totalAmount,
    items: entry.items.map((item) => ({
      name: names.get(item.productId) ?? `Product ${item.productId.slice(0, 8)}`,
      quantity: item.quantity,
      unitPrice: item.unitPrice,
    })),
  });
  return {
    to: user.email,
    ...content,
    tags: {
      correlationId: entry.correlationId ?? entry.orderId,
      eventId: entry._id,
      orderId: entry.orderId,
      kind: entry.kind,
    },
  };
};
