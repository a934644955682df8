import type { Cache, Collection, DocumentStore, Logger } from '../../application/ports/index.js';
import type { OrderDocument } from './projection.js';
import { ordersReadModel } from './projection.js';
import { publicView } from '../engine/projection.js';

export const ORDER_CACHE_TTL_SECONDS = 600;
/** How long a document may stay marked as changing if its projector dies mid-commit. */
export const TOMBSTONE_TTL_SECONDS = 30;
/** "Being changed: ask the read model". Never starts with a digit, so never mistaken for an entry. */
export const TOMBSTONE = '~changing';
/** The version changes with the entry's shape, so entries in an old shape are never read. */
export const orderCacheKey = (orderId: string) => `order:v2:${orderId}`;

/**
 * An order ready to answer with: what the ownership check, X-Min-Position and the ETag need, and
 * the client's JSON rendered once, when the document was written to the cache, not on every read.
 */
export type OrderView = { userId: string; revision: number; position: number; body: string };

export const orderView = (doc: OrderDocument): OrderView => ({
  userId: doc.userId,
  revision: doc._revision,
  position: doc._position,
  body: JSON.stringify(publicView(doc)),
});

/** A cache entry: `<position> <revision> <userId> <client JSON>`; ids and numbers hold no spaces. */
const entryOf = ({ position, revision, userId, body }: OrderView) =>
  `${position} ${revision} ${userId} ${body}`;

export const encodeOrderEntry = (doc: OrderDocument): string => entryOf(orderView(doc));

const ENTRY = /^(\d+) (\d+) (\S+) /;

/** The view in a cache entry, or undefined for anything else (a tombstone, a damaged value). */
export const decodeOrderEntry = (entry: string): OrderView | undefined => {
  const head = ENTRY.exec(entry);
  if (!head) return undefined;
  const [prefix, position, revision, userId] = head as unknown as [string, string, string, string];
  return {
    userId,
    revision: Number(revision),
    position: Number(position),
    body: entry.slice(prefix.length),
  };
};

export type OrderReader = (orderId: string, minPosition?: number) => Promise<OrderView | null>;

const fromReadModel = async (orders: Collection<OrderDocument>, orderId: string) => {
  const doc = await orders.get(orderId);
  return doc && orderView(doc);
};

/**
 * Reads an order: cache (10 minutes) → read model. A miss fills the cache only with
 * setIfAbsent, so it can never overwrite what the projector wrote (see cacheSync.ts for why that
 * closes the race). A tombstone, an entry older than the client's X-Min-Position, or a cache
 * that fails, all fall through to the read model; a failing cache never fails the read.
 */
export const createOrderReader = ({
  documents,
  cache,
  logger,
  trusted = () => true,
  onLookup = () => {},
  collection = ordersReadModel.collection,
}: {
  documents: DocumentStore;
  /** Absent: no cache (a memory cache the projector of another process cannot keep fresh). */
  cache?: Cache;
  logger: Logger;
  /**
   * From a projector in this process: false while its cache writes fail, so entries from before
   * an outage are never served before it has rewritten what changed meanwhile.
   */
  trusted?: () => boolean;
  onLookup?: (result: 'hit' | 'miss' | 'error') => void;
  collection?: string;
}): OrderReader => {
  const orders: Collection<OrderDocument> = documents.collection<OrderDocument>(collection);
  if (!cache) return (orderId) => fromReadModel(orders, orderId);
  let warned = false;
  const degraded = (error: unknown) => {
    if (!warned) logger.warn({ err: error }, 'order cache unavailable; reading the read model');
    warned = true;
  };

  return async (orderId, minPosition) => {
    if (!trusted()) return fromReadModel(orders, orderId);
    const key = orderCacheKey(orderId);
    let fill = true;
    try {
      const cached = await cache.get(key);
      const view = cached === null ? undefined : decodeOrderEntry(cached);
      // A tombstone (or a value this version cannot read) is never filled over: the projector owns it.
      if (cached !== null && !view) fill = false;
      else if (view && (minPosition === undefined || view.position >= minPosition)) {
        onLookup('hit');
        return view;
      }
      onLookup('miss');
      warned = false;
    } catch (error) {
      onLookup('error');
      degraded(error);
      fill = false;
    }
    const view = await fromReadModel(orders, orderId);
    if (view && fill)
      await cache.setIfAbsent(key, entryOf(view), ORDER_CACHE_TTL_SECONDS).catch(degraded);
    return view;
  };
};
