import { named, rebuildCheckpointName } from './projections/index.js';
import type { Projection } from './projections/index.js';
import * as dailySales from './projections/dailySales/index.js';
import * as orderTimeline from './projections/orderTimeline/index.js';
import * as orders from './projections/orders/index.js';
import * as products from './projections/products/index.js';

/**
 * Every subscription and consumer of this service, by name, with what it runs and which process
 * role runs it: one place to read them all, in the spirit of Eventuous's Registrations.cs.
 * A name is the checkpoint key, the metric label and the log field; nothing else spells one.
 */

/** The process roles one program can run (`serve --role …`); user roles are `UserRole`. */
export const PROCESS_ROLES = ['api', 'projector', 'forwarder', 'processor', 'notifier'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

/** Read models, each a named, checkpointed subscription to the log run by the projector. */
export const readModels = {
  orders: named('projections.orders', orders.projection),
  products: named('projections.products', products.projection),
  dailySales: named('projections.dailySales', dailySales.projection),
  orderTimeline: named('projections.orderTimeline', orderTimeline.projection),
};

export const projections: readonly Projection[] = Object.values(readModels);

export type Registration = {
  name: string;
  role: ProcessRole;
  /** What it reads and what it does with it. */
  runs: string;
  /** Where its position is kept. */
  checkpoint: 'beside its documents' | 'checkpoints collection' | 'the queue (acknowledgements)';
};

const projector = (projection: { name: string; collection: string }): Registration => ({
  name: projection.name,
  role: 'projector',
  runs: `the ${projection.collection} read model`,
  checkpoint: 'beside its documents',
});

export const subscriptions = {
  ordersProjection: projector(readModels.orders),
  productsProjection: projector(readModels.products),
  dailySalesProjection: projector(readModels.dailySales),
  orderTimelineProjection: projector(readModels.orderTimeline),
  orderCache: {
    name: 'cache.orders',
    role: 'projector',
    runs: 'the order cache in step with projections.orders: mark, commit, write through',
    checkpoint: 'checkpoints collection',
  },
  forwarder: {
    name: 'forwarder.queue',
    role: 'forwarder',
    runs: 'OrderPlaced and OrderCancelled from the log to the queue (the log is the outbox)',
    checkpoint: 'checkpoints collection',
  },
  processor: {
    name: 'processor.orders',
    role: 'processor',
    runs: 'the order workflow for each queue message: reserve, compensate, settle',
    checkpoint: 'the queue (acknowledgements)',
  },
  notifier: {
    name: 'notifier.email',
    role: 'notifier',
    runs: 'order status events into the email ledger, and the sender that mails them',
    checkpoint: 'beside its documents',
  },
} as const satisfies Record<string, Registration>;

/** A rebuild fills a shadow copy under a checkpoint of its own, named from the projection and the rebuild. */
export { rebuildCheckpointName };
