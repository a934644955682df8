// The read side: the projection engine and one folder per read model.
export * from './engine/index.js';
// Each slice's index.ts names its { projection, queries }; its other exports are re-exported here by file.
export * from './orders/projection.js';
export * from './orders/queries.js';
export * from './orders/cache.js';
export * from './orders/cacheSync.js';
export * from './products/projection.js';
export * from './products/queries.js';
export * from './dailySales/projection.js';
export * from './dailySales/queries.js';
export * from './orderTimeline/projection.js';
export * from './queries.js';
export { waitForCheckpoint, readCheckpoint } from '../application/subscriptions/index.js';
