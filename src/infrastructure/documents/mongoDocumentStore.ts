import { randomBytes } from 'node:crypto';
import { MongoClient, type AnyBulkWriteOperation, type Db, type MongoClientOptions } from 'mongodb';
import type { Doc, DocumentStore, WriteOp } from '../../application/ports/index.js';
import { assertDoc } from './conditions.js';
import { mongoCollection } from './mongoCollection.js';
import { toDuplicateKey } from './mongoQuery.js';

export type MongoDocumentStoreOptions = {
  url: string;
  database: string;
  clientOptions?: MongoClientOptions;
};

const namespaceNotFound = 26;
const notImplemented = 238;

/** Consecutive writes to one collection go as one ordered bulk: order kept, fewer round trips. */
function runs(ops: readonly WriteOp[]): { collection: string; ops: WriteOp[] }[] {
  const grouped: { collection: string; ops: WriteOp[] }[] = [];
  for (const op of ops) {
    const last = grouped.at(-1);
    if (last && last.collection === op.collection) last.ops.push(op);
    else grouped.push({ collection: op.collection, ops: [op] });
  }
  return grouped;
}

const bulkModel = (op: WriteOp): AnyBulkWriteOperation<Doc> => {
  if ('put' in op) {
    assertDoc(op.put);
    return { replaceOne: { filter: { _id: op.put._id }, replacement: op.put, upsert: true } };
  }
  if ('insert' in op) {
    assertDoc(op.insert);
    // A copy: the driver would add nothing here (the _id is set), but it must never mutate the caller's.
    return { insertOne: { document: { ...op.insert } } };
  }
  return { deleteOne: { filter: { _id: op.delete } } };
};

const collectionExists = async (db: Db, name: string) =>
  (await db.listCollections({ name }, { nameOnly: true }).toArray()).length > 0;

async function renameReplacing(db: Db, source: string, target: string): Promise<void> {
  try {
    // renameCollection with dropTarget swaps under one lock: readers see the old target or the new.
    await db.renameCollection(source, target, { dropTarget: true });
    return;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== namespaceNotFound && code !== notImplemented) throw error;
  }
  // A rebuild that produced no documents never created its shadow: the target becomes empty.
  if (!(await collectionExists(db, source))) {
    await db.dropCollection(target);
    return;
  }
  // FerretDB 1.x has no dropTarget. The old target is parked rather than dropped, so a failed swap
  // can put it back; readers of the target find it missing between the two renames (a known gap).
  // No dot in the parked name: FerretDB 1.x cannot rename a collection whose name has one.
  const parked = `${target}_replaced_${randomBytes(4).toString('hex')}`;
  const hadTarget = await collectionExists(db, target);
  if (hadTarget) await db.renameCollection(target, parked);
  try {
    await db.renameCollection(source, target);
  } catch (error) {
    if (hadTarget) await db.renameCollection(parked, target);
    throw error;
  }
  if (hadTarget) await db.dropCollection(parked);
}

export function createMongoDocumentStore({
  url,
  database,
  clientOptions,
}: MongoDocumentStoreOptions): DocumentStore {
  // ignoreUndefined: an undefined field is left out, as JSON.stringify does in the SQLite adapter.
  const client = new MongoClient(url, { ignoreUndefined: true, ...clientOptions });
  const db = client.db(database);

  return {
    collection<T extends Doc>(name: string) {
      return mongoCollection<T>(db, name);
    },
    async drop(name) {
      await db.dropCollection(name);
    },
    async rename(source, target) {
      if (source !== target) await renameReplacing(db, source, target);
    },
    async listCollections() {
      const collections = await db.listCollections({}, { nameOnly: true }).toArray();
      return collections
        .map((c) => c.name)
        .filter((name) => !name.startsWith('system.'))
        .sort();
    },
    async bulkWrite(ops) {
      // No multi-document transactions here (standalone MongoDB, FerretDB): ordered, stops at the first error.
      for (const run of runs(ops)) {
        const models = run.ops.map(bulkModel);
        try {
          await db.collection<Doc>(run.collection).bulkWrite(models, { ordered: true });
        } catch (error) {
          const failed =
            (error as { writeErrors?: { index?: number }[] }).writeErrors?.[0]?.index ?? 0;
          const op = run.ops[failed];
          const id = !op || 'delete' in op ? '' : 'put' in op ? op.put._id : op.insert._id;
          throw toDuplicateKey(error, run.collection, id);
        }
      }
    },
    async ping() {
      await db.command({ ping: 1 });
    },
    async close() {
      await client.close();
    },
  };
}
