import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteDocumentStore } from '../../src/infrastructure/documents/index.js';
import { documentStoreContract } from './documents.contract.js';

documentStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'documents-'));
  const store = createSqliteDocumentStore({ path: join(dir, 'documents.db') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
