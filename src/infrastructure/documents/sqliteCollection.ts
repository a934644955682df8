import { randomBytes } from 'node:crypto';
import {
  DuplicateKey,
  type Collection,
  type Doc,
  type Filter,
  type FindOptions,
  type Scalar,
} from '../../application/ports/index.js';
import { assertDoc, assertFieldName, parseFilter, parseFindOptions } from './conditions.js';
import type { SqliteTables } from './sqliteTables.js';
import { orderSql, quoteIdent, tableName, valueOf, whereSql } from './sqliteSql.js';

type Row = { doc: string };

/** SQL for the writes bulkWrite shares with the collection. */
export const upsertSql = (table: string): string =>
  `INSERT INTO ${quoteIdent(table)} (_id, doc) VALUES (?, ?) ON CONFLICT(_id) DO UPDATE SET doc = excluded.doc`;
export const insertSql = (table: string): string =>
  `INSERT INTO ${quoteIdent(table)} (_id, doc) VALUES (?, ?)`;
export const deleteSql = (table: string): string =>
  `DELETE FROM ${quoteIdent(table)} WHERE _id = ?`;

/**
 * Index names carry a signature of their fields plus a random suffix: an index keeps its name when
 * its table is renamed (a rebuilt shadow becoming the live copy), so the signature, not the table
 * in the name, is what tells whether a table already has the index.
 */
const indexSignature = (fields: readonly string[], unique: boolean): string =>
  `ix_${unique ? 'u' : 'n'}_${fields.map((f) => f.replaceAll('_', '__')).join('_s')}_r`;

export function sqliteCollection<T extends Doc>(tables: SqliteTables, name: string): Collection<T> {
  const table = tableName(name);
  const t = quoteIdent(table);
  const { db } = tables;

  const put = (doc: T): void => {
    assertDoc(doc);
    try {
      tables.write(table, () => tables.prepare(upsertSql(table)).run(doc._id, JSON.stringify(doc)));
    } catch (error) {
      throw tables.duplicateKey(error, name, doc);
    }
  };

  const select = (filter: Filter<T> | undefined, options: FindOptions<T> | undefined): T[] => {
    const find = parseFindOptions(options);
    if (find.limit === 0) return [];
    const where = whereSql(parseFilter(filter), find);
    const order = orderSql(find);
    const sql = `SELECT doc FROM ${t}${where.sql}${order.sql}`;
    const rows = tables.read<Row[]>(
      [],
      () => tables.prepare(sql).all(...where.params, ...order.params) as Row[],
    );
    return rows.map((row) => JSON.parse(row.doc) as T);
  };

  return {
    name,
    async get(id) {
      const row = tables.read(
        undefined,
        () => tables.prepare(`SELECT doc FROM ${t} WHERE _id = ?`).get(id) as Row | undefined,
      );
      return row ? (JSON.parse(row.doc) as T) : null;
    },
    async insert(doc) {
      assertDoc(doc);
      try {
        tables.write(table, () =>
          tables.prepare(insertSql(table)).run(doc._id, JSON.stringify(doc)),
        );
      } catch (error) {
        throw tables.duplicateKey(error, name, doc);
      }
    },
    async put(doc) {
      put(doc);
    },
    async putIf(doc, field, expected) {
      assertDoc(doc);
      assertFieldName(field);
      // IMMEDIATE takes the write lock before reading, so another process cannot slip a write in between.
      const attempt = db.transaction((): boolean => {
        const row = tables.read(
          undefined,
          () =>
            tables.prepare(`SELECT doc FROM ${t} WHERE _id = ?`).get(doc._id) as Row | undefined,
        );
        const stored = row ? (JSON.parse(row.doc) as Record<string, unknown>) : undefined;
        const matches =
          stored === undefined
            ? expected === undefined
            : expected !== undefined && ((stored[field] ?? null) as Scalar) === expected;
        if (matches) put(doc);
        return matches;
      });
      return attempt.immediate();
    },
    async delete(id) {
      return tables.read(false, () => tables.prepare(deleteSql(table)).run(id).changes > 0);
    },
    async find(filter, options) {
      return select(filter, options);
    },
    async count(filter) {
      const where = whereSql(parseFilter(filter));
      const sql = `SELECT count(*) AS n FROM ${t}${where.sql}`;
      return tables.read(0, () => (tables.prepare(sql).get(...where.params) as { n: number }).n);
    },
    async deleteMany(filter) {
      const where = whereSql(parseFilter(filter));
      return tables.read(
        0,
        () => tables.prepare(`DELETE FROM ${t}${where.sql}`).run(...where.params).changes,
      );
    },
    async ensureIndex(fields, options = {}) {
      if (fields.length === 0) throw new TypeError('an index needs at least one field');
      fields.forEach(assertFieldName);
      const signature = indexSignature(fields, options.unique === true);
      const create = db.transaction(() => {
        tables.write(table, () => {
          const existing = tables
            .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?`)
            .all(table) as { name: string }[];
          if (existing.some((index) => index.name.startsWith(signature))) return;
          const name = `${signature}${randomBytes(4).toString('hex')}`;
          const unique = options.unique ? 'UNIQUE ' : '';
          db.exec(
            `CREATE ${unique}INDEX ${quoteIdent(name)} ON ${t} (${fields.map(valueOf).join(', ')})`,
          );
        });
      });
      try {
        create.immediate();
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        // Existing duplicates refuse a unique index, as MongoDB does with E11000.
        if (code === 'SQLITE_CONSTRAINT_UNIQUE') throw new DuplicateKey(name, fields.join(', '));
        throw error;
      }
    },
  };
}
