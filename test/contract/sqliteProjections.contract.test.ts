import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteDocumentStore } from '../../src/infrastructure/documents/index.js';
import { projectionsContract } from './projections.contract.js';

projectionsContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'projection-documents-'));
  const documents = createSqliteDocumentStore({ path: join(dir, 'documents.db') });
  return {
    documents,
    cleanup: async () => {
      await documents.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
