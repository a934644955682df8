export * from './projection.js';
export * from './orders.js';
export * from './products.js';
export * from './runner.js';
export { waitForCheckpoint, readCheckpoint } from '../application/subscriptions/index.js';
export * from './queries.js';
export * from './pagination.js';

import { ordersProjection } from './orders.js';
import { productsProjection } from './products.js';
import type { Projection } from './projection.js';

export const projections: readonly Projection[] = [ordersProjection, productsProjection] as unknown as Projection[];
