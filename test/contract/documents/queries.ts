import { expect } from 'chai';
import type { Filter, Scalar } from '../../../src/application/ports/index.js';
import { freshName, ids, rejectionOf, seeded, type Item, type StoreRef } from './helpers.js';

const items: Item[] = [
  { _id: 'a', kind: 'book', n: 1, flag: true, tag: 'x' },
  { _id: 'b', kind: 'book', n: 2, flag: false, tag: null },
  { _id: 'c', kind: 'pen', n: 2, flag: true },
  { _id: 'd', kind: 'pen', n: 3.5, tag: 'y' },
  { _id: 'e', kind: 'cup', n: -1, tag: 'z' },
  { _id: 'f', kind: '1' },
];

export function queryTests(store: StoreRef) {
  const found = async (filter: Filter<Item>) =>
    ids(await (await seeded(store(), items)).find(filter)).sort();

  describe('filters', () => {
    it('finds everything without a filter, and counts it', async () => {
      const all = await seeded(store(), items);
      expect(ids(await all.find()).sort()).to.deep.equal(['a', 'b', 'c', 'd', 'e', 'f']);
      expect(await all.count()).to.equal(6);
      expect(await store().collection(freshName()).find()).to.deep.equal([]);
      expect(await store().collection(freshName()).count()).to.equal(0);
    });

    it('matches equality on strings, numbers and booleans without mixing types', async () => {
      expect(await found({ kind: 'pen' })).to.deep.equal(['c', 'd']);
      expect(await found({ n: 2 })).to.deep.equal(['b', 'c']);
      expect(await found({ flag: true })).to.deep.equal(['a', 'c']);
      expect(await found({ flag: false })).to.deep.equal(['b']);
      expect(await found({ n: 1 })).to.deep.equal(['a']);
      expect(await found({ kind: 1 as unknown as string })).to.deep.equal([]);
    });

    it('matches null to null and to absent fields', async () => {
      expect(await found({ tag: null })).to.deep.equal(['b', 'c', 'f']);
    });

    it('combines fields with AND, _id included', async () => {
      expect(await found({ kind: 'book', n: 2 })).to.deep.equal(['b']);
      expect(await found({ _id: 'c', kind: 'pen' })).to.deep.equal(['c']);
      expect(await found({ _id: 'c', kind: 'book' })).to.deep.equal([]);
    });

    it('matches $in over strings, numbers, null and ids', async () => {
      expect(await found({ kind: { $in: ['cup', 'book'] } })).to.deep.equal(['a', 'b', 'e']);
      expect(await found({ n: { $in: [3.5, -1, 99] } })).to.deep.equal(['d', 'e']);
      expect(await found({ tag: { $in: ['x', null] } })).to.deep.equal(['a', 'b', 'c', 'f']);
      expect(await found({ _id: { $in: ['a', 'f', 'zz'] } })).to.deep.equal(['a', 'f']);
      expect(await found({ kind: { $in: [] } })).to.deep.equal([]);
    });

    it('matches ranges on numbers only for numeric bounds', async () => {
      expect(await found({ n: { $gt: 1 } })).to.deep.equal(['b', 'c', 'd']);
      expect(await found({ n: { $gte: 1, $lt: 3.5 } })).to.deep.equal(['a', 'b', 'c']);
      expect(await found({ n: { $lte: -1 } })).to.deep.equal(['e']);
      expect(await found({ kind: { $gte: 0 } })).to.deep.equal([]);
    });

    it('matches ranges on strings and ids', async () => {
      expect(await found({ kind: { $gte: 'c', $lt: 'p' } })).to.deep.equal(['e']);
      expect(await found({ kind: { $gt: 'pen' } })).to.deep.equal([]);
      expect(await found({ _id: { $gt: 'b', $lte: 'd' } })).to.deep.equal(['c', 'd']);
    });

    it('counts and deletes by filter', async () => {
      const all = await seeded(store(), items);
      expect(await all.count({ kind: 'pen' })).to.equal(2);
      expect(await all.deleteMany({ kind: 'pen' })).to.equal(2);
      expect(ids(await all.find()).sort()).to.deep.equal(['a', 'b', 'e', 'f']);
      expect(await all.deleteMany()).to.equal(4);
      expect(await all.count()).to.equal(0);
      expect(await store().collection(freshName()).deleteMany()).to.equal(0);
    });

    it('refuses fields and operators it cannot map the same way everywhere', async () => {
      const all = await seeded(store(), items);
      await rejectionOf(all.find({ 'a.b': 1 } as Filter<Item>));
      await rejectionOf(all.find({ n: { $ne: 1 } } as unknown as Filter<Item>));
      await rejectionOf(all.find({ n: {} } as Filter<Item>));
      await rejectionOf(all.find({}, { after: { value: 1, id: 'a' } }));
    });
  });

  describe('sort and keyset pagination', () => {
    it('sorts by a field then _id in the same direction, and limits', async () => {
      const all = await seeded(
        store(),
        items.filter((i) => typeof i.n === 'number'),
      );
      expect(ids(await all.find({}, { sort: { field: 'n', direction: 'asc' } }))).to.deep.equal([
        'e',
        'a',
        'b',
        'c',
        'd',
      ]);
      expect(ids(await all.find({}, { sort: { field: 'n', direction: 'desc' } }))).to.deep.equal([
        'd',
        'c',
        'b',
        'a',
        'e',
      ]);
      expect(
        ids(await all.find({}, { sort: { field: 'n', direction: 'desc' }, limit: 2 })),
      ).to.deep.equal(['d', 'c']);
      expect(await all.find({}, { limit: 0 })).to.deep.equal([]);
    });

    const pageThrough = async (
      collection: Awaited<ReturnType<typeof seeded>>,
      field: 'n' | 'tag' | '_id',
      direction: 'asc' | 'desc',
      size: number,
    ) => {
      const seen: string[] = [];
      let after: { value: Scalar; id: string } | undefined;
      for (;;) {
        const page = await collection.find(
          {},
          { sort: { field, direction }, limit: size, ...(after && { after }) },
        );
        seen.push(...ids(page));
        const last = page.at(-1);
        if (page.length < size || !last) return seen;
        after = { value: (last[field] ?? null) as Scalar, id: last._id };
      }
    };

    it('pages through ties and absent values without gaps or repeats, both ways', async () => {
      const docs: Item[] = Array.from({ length: 23 }, (_, i) => ({
        _id: `id${String(i).padStart(2, '0')}`,
        n: i % 3,
        ...(i % 4 === 0 ? {} : { tag: `t${i % 2}` }),
      }));
      const all = await seeded(store(), docs);
      for (const field of ['n', 'tag', '_id'] as const) {
        for (const direction of ['asc', 'desc'] as const) {
          const whole = ids(await all.find({}, { sort: { field, direction } }));
          expect(whole).to.have.length(23);
          for (const size of [1, 4, 7]) {
            expect(
              await pageThrough(all, field, direction, size),
              `${field} ${direction} by ${size}`,
            ).to.deep.equal(whole);
          }
        }
      }
    });

    it('puts absent values first ascending and last descending', async () => {
      const all = await seeded(store(), [
        { _id: 'a', tag: 'm' },
        { _id: 'b' },
        { _id: 'c', tag: null },
        { _id: 'd', tag: 'a' },
      ]);
      expect(ids(await all.find({}, { sort: { field: 'tag', direction: 'asc' } }))).to.deep.equal([
        'b',
        'c',
        'd',
        'a',
      ]);
      expect(ids(await all.find({}, { sort: { field: 'tag', direction: 'desc' } }))).to.deep.equal([
        'a',
        'd',
        'c',
        'b',
      ]);
    });

    it('combines a filter with a page', async () => {
      const all = await seeded(store(), items);
      const page = await all.find(
        { kind: { $in: ['book', 'pen'] } },
        { sort: { field: 'n', direction: 'asc' }, after: { value: 2, id: 'b' }, limit: 5 },
      );
      expect(ids(page)).to.deep.equal(['c', 'd']);
    });
  });
}
