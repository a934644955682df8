import { EventStoreDBClient } from '@eventstore/db-client';
import type { EventStore, Subscription } from '../../application/ports/eventStore.js';
import { createEsdbAppender } from './esdbAppend.js';
import { createEsdbReader } from './esdbReads.js';
import { startEsdbSubscription } from './esdbSubscription.js';

export type EsdbEventStoreOptions = {
  /** For example `esdb://eventstore:2113?tls=false`; credentials go in it when the server is secure. */
  connectionString: string;
};

/**
 * The production EventStore: EventStoreDB (or KurrentDB) through its gRPC client. It needs a
 * server of 23.10 or later (CaughtUp on subscriptions, positions on stream reads) and a user
 * allowed to read $all. Where its semantics differ from the SQLite adapter, see esdbAppend.ts,
 * esdbReads.ts and esdbSubscription.ts.
 */
export const createEsdbEventStore = (options: EsdbEventStoreOptions): EventStore => {
  const client = EventStoreDBClient.connectionString(options.connectionString);
  const reader = createEsdbReader(client);
  const append = createEsdbAppender(client, reader);
  const subscriptions = new Set<Subscription>();
  let closed = false;

  return {
    append,
    readStream: reader.readStream,
    readAll: reader.readAll,
    headPosition: reader.headPosition,
    subscribe: (subscribeOptions) => {
      if (closed) throw new Error('The event store is closed');
      const subscription = startEsdbSubscription(client, subscribeOptions);
      subscriptions.add(subscription);
      const forget = () => subscriptions.delete(subscription);
      subscription.done.then(forget, forget);
      return subscription;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      // Subscriptions first: dispose() cancels their calls under them, which the client reports
      // to nobody, so their handlers would wait forever.
      await Promise.all([...subscriptions].map((subscription) => subscription.stop()));
      await client.dispose();
    },
  };
};
