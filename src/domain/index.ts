export * from './shared/index.js';
export * from './orders/index.js';
export * from './products/index.js';
