import { createCommandHandler } from '../commandHandler.js';
import type { EventStore } from '../ports/index.js';
import { orderDecider } from '../../domain/orders/index.js';
import type { OrderHandler } from './placeOrder.js';

export * from './placeOrder.js';

export const createOrderHandler = (eventStore: EventStore): OrderHandler =>
  createCommandHandler({ eventStore, decider: orderDecider });
