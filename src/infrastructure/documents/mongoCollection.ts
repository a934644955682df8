import type { Db, Filter as MongoFilter } from 'mongodb';
import type { Collection, Doc } from '../../application/ports/index.js';
import { assertDoc, assertFieldName, parseFindOptions } from './conditions.js';
import {
  duplicateKeyPattern,
  isDuplicateKeyError,
  mongoQuery,
  mongoSort,
  toDuplicateKey,
} from './mongoQuery.js';

export function mongoCollection<T extends Doc>(db: Db, name: string): Collection<T> {
  const docs = db.collection<Doc>(name);
  const filterFor = (id: string): MongoFilter<Doc> => ({ _id: id });

  return {
    name,
    async get(id) {
      return (await docs.findOne(filterFor(id))) as T | null;
    },
    async insert(doc) {
      assertDoc(doc);
      try {
        await docs.insertOne({ ...doc });
      } catch (error) {
        throw toDuplicateKey(error, name, doc._id);
      }
    },
    async put(doc) {
      assertDoc(doc);
      try {
        await docs.replaceOne(filterFor(doc._id), doc, { upsert: true });
      } catch (error) {
        throw toDuplicateKey(error, name, doc._id);
      }
    },
    async putIf(doc, field, expected) {
      assertDoc(doc);
      assertFieldName(field);
      try {
        if (expected !== undefined) {
          // `{ field: null }` also matches an absent field, which is what the port asks for.
          const result = await docs.replaceOne(
            { _id: doc._id, [field]: expected } as MongoFilter<Doc>,
            doc,
          );
          return result.matchedCount === 1;
        }
        await docs.insertOne({ ...doc });
        return true;
      } catch (error) {
        if (expected === undefined && isDuplicateKeyError(error)) {
          const pattern = duplicateKeyPattern(error);
          // Taken _id means "it exists", the answer false; another unique index is a real conflict.
          const idTaken = pattern
            ? pattern.length === 1 && pattern[0] === '_id'
            : (await docs.countDocuments(filterFor(doc._id))) > 0;
          if (idTaken) return false;
        }
        throw toDuplicateKey(error, name, doc._id);
      }
    },
    async delete(id) {
      return (await docs.deleteOne(filterFor(id))).deletedCount === 1;
    },
    async find(filter, options) {
      const find = parseFindOptions(options);
      if (find.limit === 0) return [];
      let cursor = docs.find(mongoQuery(filter, find) as MongoFilter<Doc>);
      const sort = mongoSort(find);
      if (sort) cursor = cursor.sort(sort);
      if (find.limit !== undefined) cursor = cursor.limit(find.limit);
      return (await cursor.toArray()) as T[];
    },
    async count(filter) {
      return docs.countDocuments(mongoQuery(filter) as MongoFilter<Doc>);
    },
    async deleteMany(filter) {
      return (await docs.deleteMany(mongoQuery(filter) as MongoFilter<Doc>)).deletedCount;
    },
    async ensureIndex(fields, options = {}) {
      if (fields.length === 0) throw new TypeError('an index needs at least one field');
      fields.forEach(assertFieldName);
      try {
        await docs.createIndex(Object.fromEntries(fields.map((f) => [f, 1])), {
          unique: options.unique === true,
        });
      } catch (error) {
        throw toDuplicateKey(error, name, fields.join(', '));
      }
    },
  };
}
