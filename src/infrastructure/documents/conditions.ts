import type {
  FieldCondition,
  Filter,
  FindOptions,
  Doc,
  Scalar,
} from '../../application/ports/index.js';

/**
 * Both adapters parse filters through here, so a filter that one store would read differently
 * from the other (an unknown operator, an empty range, a boolean bound) is refused by both alike.
 */
export type RangeOp = '$gt' | '$gte' | '$lt' | '$lte';
export type Condition =
  | { kind: 'eq'; value: Scalar }
  | { kind: 'in'; values: readonly Scalar[] }
  | { kind: 'range'; bounds: readonly (readonly [RangeOp, string | number])[] };

const rangeOps: readonly RangeOp[] = ['$gt', '$gte', '$lt', '$lte'];

// Field names are inlined into SQL JSON paths (expression indexes need literal paths), and dotted
// or `$` names mean something else to MongoDB, so only plain identifiers are accepted.
const fieldName = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function assertFieldName(field: string): void {
  if (!fieldName.test(field))
    throw new TypeError(`unsupported field name: ${JSON.stringify(field)}`);
}

function isScalar(value: unknown): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

export function parseCondition(field: string, condition: FieldCondition): Condition {
  assertFieldName(field);
  if (isScalar(condition)) return { kind: 'eq', value: condition };
  const keys = Object.keys(condition);
  if (keys.length === 1 && keys[0] === '$in') {
    const values = (condition as { $in: readonly Scalar[] }).$in;
    if (!Array.isArray(values) || !values.every(isScalar)) {
      throw new TypeError(`$in on ${field} needs an array of scalars`);
    }
    return { kind: 'in', values };
  }
  if (keys.length === 0) throw new TypeError(`empty condition on ${field}`);
  const bounds: (readonly [RangeOp, string | number])[] = [];
  for (const key of keys) {
    if (!rangeOps.includes(key as RangeOp))
      throw new TypeError(`unsupported operator ${key} on ${field}`);
    const value = (condition as Record<string, unknown>)[key];
    if (value === undefined) continue;
    // MongoDB compares only within a type; numbers and strings are the bounds both stores agree on.
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new TypeError(`range bound ${key} on ${field} must be a number or a string`);
    }
    bounds.push([key as RangeOp, value]);
  }
  if (bounds.length === 0) throw new TypeError(`empty condition on ${field}`);
  return { kind: 'range', bounds };
}

export function parseFilter<T extends Doc>(filter: Filter<T> = {}): [string, Condition][] {
  return Object.entries(filter)
    .filter(([, condition]) => condition !== undefined)
    .map(([field, condition]) => [field, parseCondition(field, condition as FieldCondition)]);
}

export type ParsedFind = {
  sort?: { field: string; direction: 'asc' | 'desc' };
  limit?: number;
  after?: { value: Scalar; id: string };
};

export function parseFindOptions<T extends Doc>(options: FindOptions<T> = {}): ParsedFind {
  const { sort, limit, after } = options;
  if (sort) assertFieldName(sort.field);
  if (after && !sort) throw new TypeError('keyset pagination (after) needs a sort');
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  }
  return {
    ...(sort && { sort: { field: sort.field, direction: sort.direction } }),
    ...(limit !== undefined && { limit }),
    ...(after && { after }),
  };
}

export function assertDoc(doc: Doc): void {
  if (typeof doc?._id !== 'string' || doc._id === '') {
    throw new TypeError('a document needs a non-empty string _id');
  }
}
