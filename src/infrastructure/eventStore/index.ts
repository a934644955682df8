export { createSqliteEventStore, DEFAULT_SYNCHRONOUS } from './sqliteEventStore.js';
export type { SqliteEventStoreOptions } from './sqliteEventStore.js';
export { createEsdbEventStore, type EsdbEventStoreOptions } from './esdbEventStore.js';
