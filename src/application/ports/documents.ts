/**
 * A small document store: named collections of JSON documents keyed by `_id`.
 * Enough for read models, accounts, checkpoints and ledgers, and implementable on SQLite and MongoDB alike.
 */

export type Doc = { _id: string } & Record<string, unknown>;
export type Scalar = string | number | boolean | null;

/** Equality on top-level fields; `{ $in: [...] }` for one of several values; `{ $gt | $gte | $lt | $lte: v }` for ranges. */
export type FieldCondition =
  | Scalar
  | { $in: readonly Scalar[] }
  | { $gt?: Scalar; $gte?: Scalar; $lt?: Scalar; $lte?: Scalar };
export type Filter<T extends Doc> = { [K in keyof T & string]?: FieldCondition };

export type FindOptions<T extends Doc> = {
  /** Sort by one field, then by `_id` in the same direction, so pages are stable. */
  sort?: { field: keyof T & string; direction: 'asc' | 'desc' };
  limit?: number;
  /** Keyset pagination: only documents after this (sort value, _id) pair in the sort order. Needs `sort`. */
  after?: { value: Scalar; id: string };
};

/**
 * One write of an atomic batch. `insert` fails with DuplicateKey when `_id` is taken; it exists
 * for bulk loads (a rebuild filling an empty shadow), where an upsert would cost a lookup per
 * document (and a collection scan on FerretDB 1.x).
 */
export type WriteOp = { collection: string } & (
  { put: Doc } | { insert: Doc } | { delete: string }
);

export interface Collection<T extends Doc> {
  readonly name: string;
  get(id: string): Promise<T | null>;
  /** Inserts a new document; throws DuplicateKey when `_id` (or a unique index) is taken. */
  insert(doc: T): Promise<void>;
  /** Inserts or replaces by `_id`. */
  put(doc: T): Promise<void>;
  /**
   * Replaces the document only if `field` of the stored one equals `expected` (or it does not exist and `expected` is undefined).
   * Returns whether it wrote: the building block for optimistic updates and "apply only if newer".
   */
  putIf(doc: T, field: keyof T & string, expected: Scalar | undefined): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  find(filter?: Filter<T>, options?: FindOptions<T>): Promise<T[]>;
  count(filter?: Filter<T>): Promise<number>;
  deleteMany(filter?: Filter<T>): Promise<number>;
  /** Declares an index on top-level fields; idempotent. */
  ensureIndex(fields: readonly (keyof T & string)[], options?: { unique?: boolean }): Promise<void>;
}

export interface DocumentStore {
  collection<T extends Doc>(name: string): Collection<T>;
  /** Drops a collection and its documents. */
  drop(name: string): Promise<void>;
  /** Atomically replaces collection `target` by `source` (source disappears). */
  rename(source: string, target: string): Promise<void>;
  listCollections(): Promise<string[]>;
  /**
   * Applies the writes in order: atomically where the store has multi-document transactions (SQLite),
   * in order otherwise (MongoDB without a replica set, FerretDB). Callers that need atomicity there
   * make their writes idempotent instead.
   */
  bulkWrite(ops: readonly WriteOp[]): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class DuplicateKey extends Error {
  constructor(
    readonly collection: string,
    readonly key: string,
  ) {
    super(`duplicate key in ${collection}: ${key}`);
    this.name = 'DuplicateKey';
  }
}
