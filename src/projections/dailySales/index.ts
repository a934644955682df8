// Daily sales per product: orders, units and revenue by UTC day.
export * from './projection.js';
export * from './queries.js';
export { dailySalesReadModel as projection } from './projection.js';
export { createDailySalesQueries as queries } from './queries.js';
