import { readModels } from '../subscriptions.js';
import type { DocumentStore, EventStore, Metrics, Queue } from '../application/ports/index.js';
import { CHECKPOINTS } from '../application/subscriptions/index.js';
import type { Checkpoint } from '../application/subscriptions/index.js';
import { orderStatuses as STATUSES } from '../domain/orders/index.js';

/** Gauges read from the stores on each scrape: they describe the deployment, not this process. */
export const registerGauges = ({
  metrics,
  eventStore,
  documents,
  queue,
}: {
  metrics: Metrics;
  eventStore: EventStore;
  documents: DocumentStore;
  queue: Queue;
}) => {
  metrics.gauge('orders', 'Orders in the read model by status', ['status'], async () => {
    const orders = documents.collection(readModels.orders.collection);
    return Promise.all(
      STATUSES.map(async (status) => ({
        labels: { status },
        value: await orders.count({ status }),
      })),
    );
  });
  metrics.gauge(
    'subscription_lag_events',
    'Log positions between the head and each subscription checkpoint',
    ['subscription'],
    async () => {
      const [head, checkpoints] = await Promise.all([
        eventStore.headPosition(),
        documents.collection<Checkpoint>(CHECKPOINTS).find({}),
      ]);
      return checkpoints.map((checkpoint) => ({
        labels: { subscription: checkpoint._id },
        value: Math.max(0, (head ?? 0) - checkpoint.position),
      }));
    },
  );
  metrics.gauge(
    'queue_messages',
    'Order queue depth: ready, in flight, dead letters',
    ['state'],
    async () => {
      const depth = await queue.depth();
      return [
        { labels: { state: 'ready' }, value: depth.ready },
        { labels: { state: 'in_flight' }, value: depth.inFlight },
        { labels: { state: 'dead_letters' }, value: depth.deadLetters },
      ];
    },
  );
};
