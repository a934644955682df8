import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { createMongoDocumentStore } from '../../src/infrastructure/documents/index.js';
import { requireService } from '../support/services.js';
import { documentStoreContract, type KnownGaps } from './documents.contract.js';

async function withClient<R>(url: string, use: (client: MongoClient) => Promise<R>): Promise<R> {
  const client = new MongoClient(url);
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

describe('MongoDB documents (MONGODB_URL, a mongo:7 container, or FerretDB)', function () {
  let url = '';
  const gaps: KnownGaps = {};

  before(async function () {
    url = (await requireService(this, 'mongo')).url;
    const info = await withClient(url, (client) => client.db('admin').command({ buildInfo: 1 }));
    const ferret =
      typeof info.ferretdbVersion === 'string' ? `FerretDB ${info.ferretdbVersion}` : null;
    if (ferret) {
      gaps.nonAtomicRename = `${ferret} has no renameCollection dropTarget: the target is briefly missing during rename`;
      gaps.racyConditionalWrite = `${ferret} reads then writes a filtered replace without a compare: concurrent putIf calls can all win`;
    }
  });

  documentStoreContract(
    'MongoDB',
    async () => {
      // A database of its own, so a shared server keeps nothing from this run.
      const database = `contract_${randomBytes(6).toString('hex')}`;
      const store = createMongoDocumentStore({ url, database });
      return {
        store,
        cleanup: async () => {
          await store.close();
          await withClient(url, (client) => client.db(database).dropDatabase());
        },
      };
    },
    gaps,
  );
});
