// The order-timeline index: per order, the log positions of the stock events it caused. Audit
// timelines read the events themselves from the log through it.
export * from './projection.js';
export { orderTimelineReadModel as projection } from './projection.js';
