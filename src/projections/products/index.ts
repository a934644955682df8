// The products read model: stock on hand and available, and its queries.
export * from './projection.js';
export * from './queries.js';
export { productsProjection as projection } from './projection.js';
export { createProductQueries as queries } from './queries.js';
