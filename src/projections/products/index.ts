// The products read model: stock on hand and available, and its queries.
export * from './projection.js';
export * from './queries.js';
export { productsReadModel as projection } from './projection.js';
export { createProductQueries as queries } from './queries.js';
