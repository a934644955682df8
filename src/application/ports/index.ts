export * from './eventStore.js';
export * from './documents.js';
export * from './cache.js';
export * from './mail.js';
export * from './clock.js';
export * from './queue.js';
export * from './logger.js';
export * from './security.js';
