import type { DocumentStore, EventStore } from '../application/ports/index.js';
import * as dailySales from './dailySales/index.js';
import type { OrderReader } from './orders/index.js';
import * as orders from './orders/index.js';
import * as products from './products/index.js';

/** Every read the API makes, behind functions, so where a read comes from can change without touching routes. */
export const createQueries = (deps: {
  eventStore: EventStore;
  documents: DocumentStore;
  readOrder: OrderReader;
}) => ({
  ...orders.queries(deps),
  ...products.queries(deps),
  ...dailySales.queries(deps),
});

export type Queries = ReturnType<typeof createQueries>;
