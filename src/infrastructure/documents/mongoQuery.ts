import type { Document, Sort } from 'mongodb';
import { DuplicateKey, type Doc, type Filter, type Scalar } from '../../application/ports/index.js';
import { parseFilter, type Condition, type ParsedFind } from './conditions.js';

function conditionQuery(condition: Condition): unknown {
  switch (condition.kind) {
    case 'eq':
      return condition.value;
    case 'in':
      return { $in: condition.values };
    case 'range':
      return Object.fromEntries(condition.bounds);
  }
}

/**
 * Rows strictly after (value, id) in the sort order. MongoDB sorts null and absent first and
 * compares only within a type, so null needs its own clauses on either side of the boundary.
 */
function keysetQuery(
  field: string,
  direction: 'asc' | 'desc',
  after: { value: Scalar; id: string },
): Document {
  const cmp = direction === 'asc' ? '$gt' : '$lt';
  if (field === '_id') return { _id: { [cmp]: after.id } };
  const tie = { [field]: after.value, _id: { [cmp]: after.id } };
  if (after.value === null)
    return direction === 'asc' ? { $or: [{ [field]: { $ne: null } }, tie] } : tie;
  const beyond = [{ [field]: { [cmp]: after.value } }, tie];
  return { $or: direction === 'asc' ? beyond : [...beyond, { [field]: null }] };
}

export function mongoQuery<T extends Doc>(
  filter: Filter<T> | undefined,
  find: ParsedFind = {},
): Document {
  const query: Document = Object.fromEntries(
    parseFilter(filter).map(([field, condition]) => [field, conditionQuery(condition)]),
  );
  if (!find.sort || !find.after) return query;
  const keyset = keysetQuery(find.sort.field, find.sort.direction, find.after);
  return Object.keys(query).length === 0 ? keyset : { $and: [query, keyset] };
}

export function mongoSort(find: ParsedFind): Sort | undefined {
  if (!find.sort) return undefined;
  const dir = find.sort.direction === 'asc' ? 1 : -1;
  return find.sort.field === '_id' ? { _id: dir } : { [find.sort.field]: dir, _id: dir };
}

type ServerError = {
  code?: unknown;
  keyValue?: Record<string, unknown>;
  keyPattern?: Record<string, unknown>;
  writeErrors?: {
    code?: unknown;
    err?: { keyValue?: Record<string, unknown>; keyPattern?: Record<string, unknown> };
  }[];
};

const duplicateKeyCode = 11000;

/**
 * FerretDB 1.x answers a unique violation by an update, a replace or createIndex with
 * InternalError (1) carrying its backend's message instead of E11000; real MongoDB never does.
 */
const internalError = 1;
const backendUniqueViolation =
  /UNIQUE constraint failed|duplicate key value violates unique constraint/;

export function isDuplicateKeyError(error: unknown): boolean {
  const e = error as ServerError & { message?: unknown };
  if (e?.code === internalError && backendUniqueViolation.test(String(e.message))) return true;
  return (
    e?.code === duplicateKeyCode || (e?.writeErrors ?? []).some((w) => w.code === duplicateKeyCode)
  );
}

/** Which unique index refused the write; undefined when the server does not say (FerretDB 1.x). */
export function duplicateKeyPattern(error: unknown): string[] | undefined {
  const e = error as ServerError;
  const pattern =
    e.keyPattern ?? e.writeErrors?.find((w) => w.code === duplicateKeyCode)?.err?.keyPattern;
  return pattern ? Object.keys(pattern) : undefined;
}

/** The port's DuplicateKey, with the key named as SQLite names it: the _id, or `field=value` pairs. */
export function toDuplicateKey(error: unknown, collection: string, fallbackKey: string): unknown {
  if (!isDuplicateKeyError(error)) return error;
  const e = error as ServerError;
  const value =
    e.keyValue ?? e.writeErrors?.find((w) => w.code === duplicateKeyCode)?.err?.keyValue;
  if (!value) return new DuplicateKey(collection, fallbackKey);
  const fields = Object.keys(value);
  const key =
    fields.length === 1 && fields[0] === '_id'
      ? String(value._id)
      : fields.map((f) => `${f}=${JSON.stringify(value[f] ?? null)}`).join(', ');
  return new DuplicateKey(collection, key);
}
