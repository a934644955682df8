export * from './projection.js';
export * from './orders.js';
export * from './products.js';
export * from './dailySales.js';
export * from './runner.js';
export * from './liveProjection.js';
export * from './coordination.js';
export * from './rebuild.js';
export * from './status.js';
export * from './admin.js';
export * from './orderCache.js';
export * from './cacheSync.js';
export * from './readModelHash.js';
export { waitForCheckpoint, readCheckpoint } from '../application/subscriptions/index.js';
export * from './queries.js';
export * from './pagination.js';

import { dailySalesProjection } from './dailySales.js';
import { orderTimelineProjection } from '../application/audit/orderTimelineIndex.js';
import { ordersProjection } from './orders.js';
import { productsProjection } from './products.js';
import type { Projection } from './projection.js';

export const projections: readonly Projection[] = [ordersProjection, productsProjection, dailySalesProjection, orderTimelineProjection] as unknown as Projection[];
