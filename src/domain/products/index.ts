export * from './events.js';
export * from './commands.js';
export * from './product.js';
export * from './decide.js';
