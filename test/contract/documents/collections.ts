import { expect } from 'chai';
import { DuplicateKey } from '../../../src/application/ports/index.js';
import {
  freshName,
  ids,
  rejectionOf,
  seeded,
  type Item,
  skipForGap,
  type KnownGaps,
  type StoreRef,
} from './helpers.js';

export function indexTests(store: StoreRef) {
  describe('indexes', () => {
    it('declares an index idempotently, and a plain index allows repeats', async () => {
      const orders = await seeded(store(), [
        { _id: 'a', kind: 'x' },
        { _id: 'b', kind: 'x' },
      ]);
      await orders.ensureIndex(['kind']);
      await orders.ensureIndex(['kind']);
      await orders.ensureIndex(['kind', 'n']);
      await orders.insert({ _id: 'c', kind: 'x' });
      expect(ids(await orders.find({ kind: 'x' })).sort()).to.deep.equal(['a', 'b', 'c']);
    });

    it('enforces a unique index on insert and put, naming the collection', async () => {
      const name = freshName();
      const accounts = await seeded(store(), [{ _id: 'u1', email: 'a@x.test' }], name);
      await accounts.ensureIndex(['email'], { unique: true });
      await accounts.ensureIndex(['email'], { unique: true });
      for (const write of [
        accounts.insert({ _id: 'u2', email: 'a@x.test' }),
        accounts.put({ _id: 'u2', email: 'a@x.test' }),
      ]) {
        const error = await rejectionOf(write);
        expect(error).to.be.instanceOf(DuplicateKey);
        expect((error as DuplicateKey).collection).to.equal(name);
      }
      await accounts.put({ _id: 'u1', email: 'a@x.test', kind: 'same owner' });
      await accounts.put({ _id: 'u2', email: 'b@x.test' });
      expect(await accounts.count()).to.equal(2);
    });

    it('enforces a compound unique index on the pair only', async () => {
      const accounts = await seeded(store(), [{ _id: 'u1', tenant: 't1', email: 'a@x.test' }]);
      await accounts.ensureIndex(['tenant', 'email'], { unique: true });
      await accounts.insert({ _id: 'u2', tenant: 't2', email: 'a@x.test' });
      expect(
        await rejectionOf(accounts.insert({ _id: 'u3', tenant: 't1', email: 'a@x.test' })),
      ).to.be.instanceOf(DuplicateKey);
    });

    it('refuses a unique index over values that already repeat', async () => {
      const accounts = await seeded(store(), [
        { _id: 'u1', email: 'a@x.test' },
        { _id: 'u2', email: 'a@x.test' },
      ]);
      expect(await rejectionOf(accounts.ensureIndex(['email'], { unique: true }))).to.be.instanceOf(
        DuplicateKey,
      );
    });
  });
}

export function storeTests(store: StoreRef, gaps: KnownGaps) {
  describe('bulkWrite', () => {
    it('applies puts and deletes across collections in order', async () => {
      const [orders, ledger] = [freshName(), freshName()];
      await seeded(store(), [{ _id: 'old' }], orders);
      await store().bulkWrite([
        { collection: orders, put: { _id: 'o1', n: 1 } },
        { collection: ledger, put: { _id: 'e1', kind: 'sent' } },
        { collection: orders, delete: 'old' },
        { collection: orders, put: { _id: 'o1', n: 2 } },
        { collection: orders, put: { _id: 'gone' } },
        { collection: orders, delete: 'gone' },
        { collection: ledger, delete: 'never-there' },
      ]);
      expect(
        await store()
          .collection(orders)
          .find({}, { sort: { field: '_id', direction: 'asc' } }),
      ).to.deep.equal([{ _id: 'o1', n: 2 }]);
      expect(await store().collection(ledger).find()).to.deep.equal([{ _id: 'e1', kind: 'sent' }]);
      await store().bulkWrite([]);
    });

    it('stops at a duplicate key: nothing after it is applied', async () => {
      const accounts = await seeded(store(), [{ _id: 'u1', email: 'a@x.test' }]);
      await accounts.ensureIndex(['email'], { unique: true });
      const write = store().bulkWrite([
        { collection: accounts.name, put: { _id: 'u2', email: 'b@x.test' } },
        { collection: accounts.name, put: { _id: 'u3', email: 'a@x.test' } },
        { collection: accounts.name, put: { _id: 'u4', email: 'd@x.test' } },
      ]);
      expect(await rejectionOf(write)).to.be.instanceOf(DuplicateKey);
      expect(await accounts.get('u3')).to.equal(null);
      expect(await accounts.get('u4')).to.equal(null);
    });
  });

  describe('collections', () => {
    it('renames a collection over another, carrying documents and indexes', async () => {
      const [shadow, live] = [freshName('shadow'), freshName('live')];
      const rebuilt = await seeded(store(), [{ _id: 'n1', email: 'a@x.test' }], shadow);
      await rebuilt.ensureIndex(['email'], { unique: true });
      await seeded(store(), [{ _id: 'o1' }, { _id: 'o2' }], live);
      await store().rename(shadow, live);
      const names = await store().listCollections();
      expect(names).to.include(live).and.not.include(shadow);
      expect(ids(await store().collection(live).find())).to.deep.equal(['n1']);
      expect(await store().collection(shadow).count()).to.equal(0);
      expect(
        await rejectionOf(store().collection<Item>(live).insert({ _id: 'n2', email: 'a@x.test' })),
      ).to.be.instanceOf(DuplicateKey);
    });

    it('renames onto a name not yet used', async () => {
      const [from, to] = [freshName(), freshName()];
      await seeded(store(), [{ _id: 'a' }], from);
      await store().rename(from, to);
      expect(ids(await store().collection(to).find())).to.deep.equal(['a']);
    });

    it('empties the target when the source was never written (a rebuild that found nothing)', async () => {
      const live = freshName();
      await seeded(store(), [{ _id: 'a' }], live);
      await store().rename(freshName(), live);
      expect(await store().collection(live).count()).to.equal(0);
    });

    it('lets readers of the target see the old or the new documents, never a mix or nothing', async function () {
      skipForGap(this, gaps.nonAtomicRename);
      const [shadow, live] = [freshName('shadow'), freshName('live')];
      const docs = (gen: string, count: number) =>
        Array.from({ length: count }, (_, i) => ({ _id: `${gen}${i}`, gen }));
      await seeded(store(), docs('old', 20), live);
      await seeded(store(), docs('new', 30), shadow);
      const target = store().collection<Item>(live);
      let renamed = false;
      const reader = async () => {
        const seen: string[] = [];
        for (let extra = 0; extra < 3; extra += renamed ? 1 : 0) {
          const page = await target.find();
          const gens = [...new Set(page.map((d) => d.gen))];
          seen.push(`${gens.join('+')}:${page.length}`);
        }
        return seen;
      };
      const readers = Array.from({ length: 4 }, reader);
      try {
        await store().rename(shadow, live);
      } finally {
        renamed = true;
      }
      const seen = (await Promise.all(readers)).flat();
      expect([...new Set(seen)].filter((s) => s !== 'old:20' && s !== 'new:30')).to.deep.equal([]);
      expect(seen).to.include('new:30');
    });

    it('drops a collection and its documents; dropping nothing is fine', async () => {
      const name = freshName();
      await seeded(store(), [{ _id: 'a' }], name);
      expect(await store().listCollections()).to.include(name);
      await store().drop(name);
      expect(await store().listCollections()).to.not.include(name);
      expect(await store().collection(name).get('a')).to.equal(null);
      await store().drop(name);
    });

    it('lists collections by the names they were written under', async () => {
      const name = `${freshName()}.shadow-1`;
      await seeded(store(), [{ _id: 'a' }], name);
      expect(await store().listCollections()).to.include(name);
    });

    it('answers a ping', async () => {
      await store().ping();
    });
  });
}
