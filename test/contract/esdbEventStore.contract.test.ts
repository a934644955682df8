import { createEsdbEventStore } from '../../src/infrastructure/eventStore/index.js';
import { requireService } from '../support/services.js';
import { eventStoreContract } from './eventStore.contract.js';

// The log is shared and keeps what earlier runs wrote: the suite uses fresh streams and types
// and compares positions only with each other.
describe('EventStoreDB event store (EVENTSTORE_URL or an eventstore container)', function () {
  let connectionString = '';

  before(async function () {
    connectionString = (await requireService(this, 'eventstore')).url;
  });

  eventStoreContract('EventStoreDB', async () => {
    const store = createEsdbEventStore({ connectionString });
    return { store, cleanup: () => store.close() };
  });
});
