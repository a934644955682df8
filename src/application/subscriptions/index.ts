export * from './batchingSubscription.js';
export * from './checkpoints.js';
