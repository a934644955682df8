export {
  createSqliteDocumentStore,
  type SqliteDocumentStoreOptions,
} from './sqliteDocumentStore.js';
export { createMongoDocumentStore, type MongoDocumentStoreOptions } from './mongoDocumentStore.js';
