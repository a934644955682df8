import type { Cache, Collection, DocumentStore, Logger } from '../application/ports/index.js';
import type { OrderDocument } from './orders.js';
import { ordersProjection } from './orders.js';

export const ORDER_CACHE_TTL_SECONDS = 600;
/** How long a document may stay marked as changing if its projector dies mid-commit. */
export const TOMBSTONE_TTL_SECONDS = 30;
/** "Being changed: ask the read model". Never valid JSON, so never mistaken for a document. */
export const TOMBSTONE = '~changing';
/** The version changes with the document's shape, so entries in an old shape are never read. */
export const orderCacheKey = (orderId: string) => `order:v1:${orderId}`;

export type OrderReader = (orderId: string, minPosition?: number) => Promise<OrderDocument | null>;

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
  collection = ordersProjection.collection,
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
  if (!cache) return (orderId) => orders.get(orderId);
  let warned = false;
  const degraded = (error: unknown) => {
    if (!warned) logger.warn({ err: error }, 'order cache unavailable; reading the read model');
    warned = true;
  };

  return async (orderId, minPosition) => {
    if (!trusted()) return orders.get(orderId);
    const key = orderCacheKey(orderId);
    let fill = true;
    try {
      const cached = await cache.get(key);
      if (cached === TOMBSTONE) fill = false;
      else if (cached !== null) {
        const doc = JSON.parse(cached) as OrderDocument;
        if (minPosition === undefined || doc._position >= minPosition) {
          onLookup('hit');
          return doc;
        }
      }
      onLookup('miss');
      warned = false;
    } catch (error) {
      onLookup('error');
      degraded(error);
      fill = false;
    }
    const doc = await orders.get(orderId);
    if (doc && fill) await cache.setIfAbsent(key, JSON.stringify(doc), ORDER_CACHE_TTL_SECONDS).catch(degraded);
    return doc;
  };
};
