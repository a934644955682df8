import type { DocumentStore, EventStore } from '../../application/ports/index.js';
import { paginate } from '../../application/ports/index.js';
import { productEventTypes, toProductStreamId } from '../../domain/products/index.js';
import { createStreamDocumentReader } from '../engine/index.js';
import { evolveProductDocument, productsReadModel } from './projection.js';
import type { ProductDocument } from './projection.js';

export type ProductListQuery = { limit: number; cursor?: string };

export const createProductQueries = ({
  eventStore,
  documents,
}: {
  eventStore: EventStore;
  documents: DocumentStore;
}) => {
  const productFromStream = createStreamDocumentReader(
    eventStore,
    productEventTypes,
    evolveProductDocument,
  );
  const products = documents.collection<ProductDocument>(productsReadModel.collection);
  return {
    loadProductFromStream: async (productId: string) => {
      const doc = await productFromStream(toProductStreamId(productId));
      return doc && !doc.deleted ? doc : null;
    },
    listProducts: ({ limit, cursor }: ProductListQuery) =>
      paginate(
        products,
        { deleted: false },
        { field: 'createdAt', direction: 'asc' },
        limit,
        cursor,
      ),
  };
};
