import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { createMongoDocumentStore } from '../../src/infrastructure/documents/index.js';
import { requireService } from '../support/services.js';
import { projectionsContract } from './projections.contract.js';

describe('projections over MongoDB (MONGODB_URL, a mongo:7 container, or FerretDB)', function () {
  let url = '';
  before(async function () {
    url = (await requireService(this, 'mongo')).url;
  });

  projectionsContract('MongoDB', async () => {
    // A database of its own per test, so a shared server keeps nothing from this run.
    const database = `projections_${randomBytes(6).toString('hex')}`;
    const documents = createMongoDocumentStore({ url, database });
    return {
      documents,
      cleanup: async () => {
        await documents.close();
        const client = new MongoClient(url);
        try {
          await client.db(database).dropDatabase();
        } finally {
          await client.close();
        }
      },
    };
  });
});
