import { InvalidInput } from '../../domain/shared/index.js';
import type { Collection, Doc, Filter, Scalar } from './index.js';

export type Page<T> = { items: T[]; nextCursor: string | null };

const encode = (value: Scalar, id: string) =>
  Buffer.from(JSON.stringify([value, id])).toString('base64url');

const decode = (cursor: string): { value: Scalar; id: string } => {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[1] === 'string') {
      return { value: parsed[0] as Scalar, id: parsed[1] };
    }
  } catch {
    // fall through to the typed error
  }
  throw new InvalidInput('cursor is not one this service issued');
};

/** Keyset pagination on (field, _id): stable under concurrent inserts, unlike offsets. */
export const paginate = async <T extends Doc>(
  collection: Collection<T>,
  filter: Filter<T>,
  sort: { field: keyof T & string; direction: 'asc' | 'desc' },
  limit: number,
  cursor?: string,
): Promise<Page<T>> => {
  const items = await collection.find(filter, {
    sort,
    limit: limit + 1,
    ...(cursor ? { after: decode(cursor) } : {}),
  });
  const page = items.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page,
    nextCursor: items.length > limit && last ? encode(last[sort.field] as Scalar, last._id) : null,
  };
};
