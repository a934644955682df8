import type { Scalar } from '../../application/ports/index.js';
import type { Condition, ParsedFind } from './conditions.js';

export type Sql = { sql: string; params: unknown[] };

const tablePrefix = 'doc_';

/**
 * Collection names become table names by a reversible escape (letters and digits kept, `_` doubled,
 * anything else `_` + 4 hex digits), so two names never share a table and listCollections can
 * give the original names back.
 */
export function tableName(collection: string): string {
  if (collection === '') throw new TypeError('a collection needs a name');
  let out = tablePrefix;
  for (const ch of collection) {
    if (/[A-Za-z0-9]/.test(ch)) out += ch;
    else if (ch === '_') out += '__';
    else
      for (const unit of ch.split(''))
        out += `_${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
  return out;
}

export function collectionName(table: string): string | null {
  if (!table.startsWith(tablePrefix)) return null;
  const units: string[] = [];
  for (let i = tablePrefix.length; i < table.length; i += 1) {
    const ch = table[i] as string;
    if (ch !== '_') units.push(ch);
    else if (table[i + 1] === '_') {
      units.push('_');
      i += 1;
    } else {
      const hex = table.slice(i + 1, i + 5);
      if (!/^[0-9a-f]{4}$/.test(hex)) return null;
      units.push(String.fromCharCode(parseInt(hex, 16)));
      i += 4;
    }
  }
  return units.join('');
}

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Field names are validated identifiers, so inlining them keeps the exact text expression indexes match on. */
export const valueOf = (field: string): string =>
  field === '_id' ? '_id' : `json_extract(doc, '$.${field}')`;
const typeOf = (field: string): string => `json_type(doc, '$.${field}')`;

/** better-sqlite3 binds no booleans; JSON true/false extract as 1/0. */
export const bindable = (value: Scalar): unknown =>
  typeof value === 'boolean' ? Number(value) : value;

const never: Sql = { sql: '0', params: [] };

function equals(field: string, value: Scalar): Sql {
  const x = valueOf(field);
  if (field === '_id')
    return typeof value === 'string' ? { sql: '_id = ?', params: [value] } : never;
  if (value === null) return { sql: `${x} IS NULL`, params: [] };
  if (typeof value === 'boolean') return { sql: `${typeOf(field)} = '${value}'`, params: [] };
  // json_extract gives 1 for `true`; the type check keeps `{ n: 1 }` from matching booleans, as in MongoDB.
  if (typeof value === 'number') {
    return { sql: `(${x} = ? AND ${typeOf(field)} IN ('integer', 'real'))`, params: [value] };
  }
  return { sql: `${x} = ?`, params: [value] };
}

const rangeSymbols = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' } as const;

function conditionSql(field: string, condition: Condition): Sql {
  switch (condition.kind) {
    case 'eq':
      return equals(field, condition.value);
    case 'in': {
      const strings = condition.values.filter((v): v is string => typeof v === 'string');
      const parts: Sql[] = condition.values
        .filter((v) => typeof v !== 'string')
        .map((v) => equals(field, v));
      if (strings.length > 0) {
        parts.unshift({
          sql: `${valueOf(field)} IN (${strings.map(() => '?').join(', ')})`,
          params: strings,
        });
      }
      if (parts.length === 0) return never;
      return {
        sql: `(${parts.map((p) => p.sql).join(' OR ')})`,
        params: parts.flatMap((p) => p.params),
      };
    }
    case 'range': {
      const kinds = new Set(condition.bounds.map(([, v]) => typeof v));
      // MongoDB brackets comparisons by type: a numeric bound never matches a string, and the reverse.
      if (kinds.size > 1 || (field === '_id' && kinds.has('number'))) return never;
      const guard =
        field === '_id'
          ? []
          : [
              kinds.has('number')
                ? `${typeOf(field)} IN ('integer', 'real')`
                : `${typeOf(field)} = 'text'`,
            ];
      const comparisons = condition.bounds.map(([op]) => `${valueOf(field)} ${rangeSymbols[op]} ?`);
      return {
        sql: `(${[...comparisons, ...guard].join(' AND ')})`,
        params: condition.bounds.map(([, v]) => v),
      };
    }
  }
}

export function whereSql(conditions: readonly [string, Condition][], find: ParsedFind = {}): Sql {
  const parts = conditions.map(([field, condition]) => conditionSql(field, condition));
  if (find.sort && find.after)
    parts.push(keysetSql(find.sort.field, find.sort.direction, find.after));
  if (parts.length === 0) return { sql: '', params: [] };
  return {
    sql: ` WHERE ${parts.map((p) => p.sql).join(' AND ')}`,
    params: parts.flatMap((p) => p.params),
  };
}

/** Rows strictly after (value, id) in the sort order; NULL (absent) sorts first, as in MongoDB. */
function keysetSql(
  field: string,
  direction: 'asc' | 'desc',
  after: { value: Scalar; id: string },
): Sql {
  const cmp = direction === 'asc' ? '>' : '<';
  if (field === '_id') return { sql: `_id ${cmp} ?`, params: [after.id] };
  const x = valueOf(field);
  if (after.value === null) {
    const rest = direction === 'asc' ? ` OR ${x} IS NOT NULL` : '';
    return { sql: `((${x} IS NULL AND _id ${cmp} ?)${rest})`, params: [after.id] };
  }
  const v = bindable(after.value);
  const nulls = direction === 'desc' ? ` OR ${x} IS NULL` : '';
  return {
    sql: `(${x} ${cmp} ? OR (${x} = ? AND _id ${cmp} ?)${nulls})`,
    params: [v, v, after.id],
  };
}

export function orderSql(find: ParsedFind): Sql {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (find.sort) {
    const dir = find.sort.direction === 'asc' ? 'ASC' : 'DESC';
    parts.push(
      find.sort.field === '_id'
        ? ` ORDER BY _id ${dir}`
        : ` ORDER BY ${valueOf(find.sort.field)} ${dir}, _id ${dir}`,
    );
  }
  if (find.limit !== undefined) {
    parts.push(' LIMIT ?');
    params.push(find.limit);
  }
  return { sql: parts.join(''), params };
}
