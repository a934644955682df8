import type Database from 'better-sqlite3';
import { DuplicateKey, type Doc } from '../../application/ports/index.js';
import { quoteIdent } from './sqliteSql.js';

const maxCachedStatements = 500;

const isNoSuchTable = (error: unknown): boolean =>
  error instanceof Error && /no such table/.test(error.message);

/**
 * Tables come and go under us (drop, rename, another process sharing the file), so reads of a
 * missing table answer "empty" and writes create it and try once more, instead of tracking
 * existence that another connection can invalidate at any moment.
 */
export class SqliteTables {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly known = new Set<string>();

  constructor(readonly db: Database.Database) {}

  prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= maxCachedStatements) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  read<R>(fallback: R, run: () => R): R {
    try {
      return run();
    } catch (error) {
      if (isNoSuchTable(error)) return fallback;
      throw error;
    }
  }

  write<R>(table: string, run: () => R): R {
    if (!this.known.has(table)) this.create(table);
    try {
      return run();
    } catch (error) {
      if (!isNoSuchTable(error)) throw error;
      this.create(table);
      return run();
    }
  }

  forget(table: string): void {
    this.known.delete(table);
  }

  private create(table: string): void {
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS ${quoteIdent(table)} (_id TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID`,
    );
    this.known.add(table);
  }

  /** Turns a constraint failure into the port's DuplicateKey, naming the key the way MongoDB reports it. */
  duplicateKey(error: unknown, collection: string, doc: Doc): unknown {
    const code = (error as { code?: unknown }).code;
    if (code !== 'SQLITE_CONSTRAINT_PRIMARYKEY' && code !== 'SQLITE_CONSTRAINT_UNIQUE')
      return error;
    const index = /index '([^']+)'/.exec((error as Error).message)?.[1];
    if (!index) return new DuplicateKey(collection, doc._id);
    const row = this.db
      .prepare('SELECT sql FROM sqlite_master WHERE type = ? AND name = ?')
      .get('index', index) as { sql: string } | undefined;
    const fields = [...(row?.sql ?? '').matchAll(/'\$\.([A-Za-z0-9_]+)'/g)].map(
      (m) => m[1] as string,
    );
    return new DuplicateKey(
      collection,
      fields.map((f) => `${f}=${JSON.stringify(doc[f] ?? null)}`).join(', '),
    );
  }
}
