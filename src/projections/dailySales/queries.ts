import type { DocumentStore } from '../../application/ports/index.js';
import { dailySalesReadModel } from './projection.js';
import type { DailySalesDocument } from './projection.js';

export type DailySalesQuery = { from: string; to: string; productId?: string };

export const createDailySalesQueries = ({ documents }: { documents: DocumentStore }) => {
  const sales = documents.collection<DailySalesDocument>(dailySalesReadModel.collection);
  return {
    /** Days are UTC dates (YYYY-MM-DD), both ends included. */
    dailySales: ({ from, to, productId }: DailySalesQuery) =>
      sales.find(
        { kind: 'daily', day: { $gte: from, $lte: to }, ...(productId ? { productId } : {}) },
        { sort: { field: 'day', direction: 'asc' } },
      ),
  };
};
