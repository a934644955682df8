import { expect } from 'chai';
import { DuplicateKey } from '../../../src/application/ports/index.js';
import { freshName, ids, rejectionOf, seeded, type StoreRef } from './helpers.js';

/** The `insert` write op: what a rebuild's bulk load into an empty shadow relies on. */
export function insertTests(store: StoreRef) {
  describe('bulkWrite inserts', () => {
    it('given an empty collection, when many documents are inserted with puts after them, then all land in order', async () => {
      const shadow = freshName('shadow');
      const docs = Array.from({ length: 250 }, (_, i) => ({
        _id: `d${String(i).padStart(3, '0')}`,
        n: i,
      }));
      await store().bulkWrite([
        ...docs.map((doc) => ({ collection: shadow, insert: doc })),
        { collection: shadow, put: { _id: 'd000', n: -1 } },
      ]);
      const stored = await store()
        .collection(shadow)
        .find({}, { sort: { field: '_id', direction: 'asc' } });
      expect(stored).to.have.length(250);
      expect(stored[0]).to.deep.equal({ _id: 'd000', n: -1 });
      expect(stored[249]).to.deep.equal({ _id: 'd249', n: 249 });
    });

    it('given a taken _id, when inserted, then DuplicateKey and nothing after it is applied', async () => {
      const live = await seeded(store(), [{ _id: 'a' }]);
      const write = store().bulkWrite([
        { collection: live.name, insert: { _id: 'b' } },
        { collection: live.name, insert: { _id: 'a', n: 2 } },
        { collection: live.name, insert: { _id: 'c' } },
      ]);
      expect(await rejectionOf(write)).to.be.instanceOf(DuplicateKey);
      expect(await live.get('a')).to.deep.equal({ _id: 'a' });
      expect(await live.get('c')).to.equal(null);
    });

    it('given an inserted document, when the caller changes its object afterwards, then the stored one stays', async () => {
      const name = freshName();
      const doc = { _id: 'x', n: 1 };
      await store().bulkWrite([{ collection: name, insert: doc }]);
      doc.n = 2;
      expect(ids(await store().collection(name).find({ n: 1 }))).to.deep.equal(['x']);
      expect(doc).to.deep.equal({ _id: 'x', n: 2 });
    });
  });
}
