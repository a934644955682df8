import Database from 'better-sqlite3';
import type { Doc, DocumentStore } from '../../application/ports/index.js';
import { assertDoc } from './conditions.js';
import { deleteSql, insertSql, sqliteCollection, upsertSql } from './sqliteCollection.js';
import { collectionName, quoteIdent, tableName } from './sqliteSql.js';
import { SqliteTables } from './sqliteTables.js';

export type SqliteDocumentStoreOptions = {
  /** A file path, or ':memory:' for a store that lives and dies with the process. */
  path: string;
  /** How long a write waits for another process holding the file's write lock. */
  busyTimeoutMs?: number;
};

export function createSqliteDocumentStore({
  path,
  busyTimeoutMs = 5000,
}: SqliteDocumentStoreOptions): DocumentStore {
  const db = new Database(path);
  // WAL lets readers in other processes (the api role) keep reading while a projector writes.
  db.pragma('journal_mode = WAL');
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma('synchronous = NORMAL');
  const tables = new SqliteTables(db);
  const exists = (table: string): boolean =>
    db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) !==
    undefined;

  return {
    collection<T extends Doc>(name: string) {
      return sqliteCollection<T>(tables, name);
    },
    async drop(name) {
      const table = tableName(name);
      db.exec(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
      tables.forget(table);
    },
    async rename(source, target) {
      const [from, to] = [tableName(source), tableName(target)];
      if (from === to) return;
      // One transaction: readers in other connections see the old target or the new one, never neither.
      db.transaction(() => {
        db.exec(`DROP TABLE IF EXISTS ${quoteIdent(to)}`);
        // A rebuild that produced no documents never created its shadow: the target becomes empty.
        if (exists(from)) db.exec(`ALTER TABLE ${quoteIdent(from)} RENAME TO ${quoteIdent(to)}`);
      }).immediate();
      tables.forget(from);
      tables.forget(to);
    },
    async listCollections() {
      const rows = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as {
        name: string;
      }[];
      return rows
        .map((row) => collectionName(row.name))
        .filter((name): name is string => name !== null)
        .sort();
    },
    async bulkWrite(ops) {
      // A bulk load sends thousands of ops to one collection: escape its name once.
      const names = new Map<string, string>();
      const tableOf = (collection: string) => {
        let table = names.get(collection);
        if (table === undefined) names.set(collection, (table = tableName(collection)));
        return table;
      };
      db.transaction(() => {
        for (const op of ops) {
          const table = tableOf(op.collection);
          if ('put' in op || 'insert' in op) {
            const [doc, sql] =
              'put' in op ? [op.put, upsertSql(table)] : [op.insert, insertSql(table)];
            assertDoc(doc);
            try {
              tables.write(table, () => tables.prepare(sql).run(doc._id, JSON.stringify(doc)));
            } catch (error) {
              throw tables.duplicateKey(error, op.collection, doc);
            }
          } else {
            tables.read(undefined, () => tables.prepare(deleteSql(table)).run(op.delete));
          }
        }
      }).immediate();
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
