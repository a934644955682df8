import { crudTests } from './documents/crud.js';
import { indexTests, storeTests } from './documents/collections.js';
import type { KnownGaps, OpenDocumentStore } from './documents/helpers.js';
import { insertTests } from './documents/inserts.js';
import { queryTests } from './documents/queries.js';
import type { DocumentStore } from '../../src/application/ports/index.js';

export type { KnownGaps, OpenDocumentStore } from './documents/helpers.js';

/**
 * One suite for every DocumentStore adapter. The store may be shared and already hold data
 * (a real MongoDB), so every test writes to collections with fresh random names.
 */
export function documentStoreContract(
  adapterName: string,
  open: OpenDocumentStore,
  gaps: KnownGaps = {},
) {
  describe(`DocumentStore contract: ${adapterName}`, function () {
    let store: DocumentStore | undefined;
    let cleanup: (() => Promise<void>) | undefined;
    const ref = () => {
      if (!store) throw new Error('the store did not open');
      return store;
    };

    before(async function () {
      ({ store, cleanup } = await open());
    });

    after(async function () {
      await cleanup?.();
    });

    crudTests(ref, gaps);
    queryTests(ref);
    indexTests(ref);
    storeTests(ref, gaps);
    insertTests(ref);
  });
}
