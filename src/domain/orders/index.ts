export * from './events.js';
export * from './commands.js';
export * from './order.js';
export * from './failure.js';
export * from './decide.js';
