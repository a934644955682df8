// The orders read model: the order as clients read it, its queries, and the cache in front of it.
export * from './projection.js';
export * from './queries.js';
export * from './cache.js';
export * from './cacheSync.js';
export { ordersReadModel as projection } from './projection.js';
export { createOrderQueries as queries } from './queries.js';
