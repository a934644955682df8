import { expect } from 'chai';
import { DuplicateKey } from '../../../src/application/ports/index.js';
import {
  freshName,
  rejectionOf,
  seeded,
  skipForGap,
  type Item,
  type KnownGaps,
  type StoreRef,
} from './helpers.js';

export function crudTests(store: StoreRef, gaps: KnownGaps) {
  describe('documents', () => {
    it('gives null for an id never written', async () => {
      expect(await store().collection(freshName()).get('missing')).to.equal(null);
    });

    it('round-trips nested JSON, numbers, booleans, nulls and unicode', async () => {
      const doc: Item = {
        _id: 'a/1 ü',
        n: -12.5,
        flag: false,
        tag: null,
        nested: {
          list: [1, 'two', true, null, { deep: [0.25, -3] }],
          big: 2 ** 40,
          zero: 0,
          text: 'ça va? 🚀',
        },
      };
      const orders = store().collection<Item>(freshName());
      await orders.put(doc);
      expect(await orders.get(doc._id)).to.deep.equal(doc);
    });

    it('inserts a new document and refuses a second with the same _id', async () => {
      const name = freshName();
      const orders = store().collection<Item>(name);
      await orders.insert({ _id: 'o1', kind: 'first' });
      const error = await rejectionOf(orders.insert({ _id: 'o1', kind: 'second' }));
      expect(error).to.be.instanceOf(DuplicateKey);
      expect((error as DuplicateKey).collection).to.equal(name);
      expect(await orders.get('o1')).to.deep.equal({ _id: 'o1', kind: 'first' });
    });

    it('put replaces the whole document', async () => {
      const orders = await seeded(store(), [{ _id: 'o1', kind: 'a', n: 1 }]);
      await orders.put({ _id: 'o1', kind: 'b' });
      expect(await orders.get('o1')).to.deep.equal({ _id: 'o1', kind: 'b' });
    });

    it('delete says whether something was deleted', async () => {
      const orders = await seeded(store(), [{ _id: 'o1' }]);
      expect(await orders.delete('o1')).to.equal(true);
      expect(await orders.delete('o1')).to.equal(false);
      expect(await orders.get('o1')).to.equal(null);
      expect(await store().collection(freshName()).delete('nothing')).to.equal(false);
    });

    it('keeps the name it was opened with', () => {
      expect(store().collection('orders.shadow-1').name).to.equal('orders.shadow-1');
    });
  });

  describe('putIf', () => {
    it('writes a new document only when no version is expected', async () => {
      const orders = store().collection<Item>(freshName());
      expect(await orders.putIf({ _id: 'o1', version: 1 }, 'version', 1)).to.equal(false);
      expect(await orders.get('o1')).to.equal(null);
      expect(await orders.putIf({ _id: 'o1', version: 1 }, 'version', undefined)).to.equal(true);
      expect(await orders.get('o1')).to.deep.equal({ _id: 'o1', version: 1 });
    });

    it('replaces an existing document only when the field equals the expected value', async () => {
      const orders = await seeded(store(), [{ _id: 'o1', version: 1, kind: 'a' }]);
      expect(await orders.putIf({ _id: 'o1', version: 2 }, 'version', undefined)).to.equal(false);
      expect(await orders.putIf({ _id: 'o1', version: 2 }, 'version', 7)).to.equal(false);
      expect(await orders.putIf({ _id: 'o1', version: 2 }, 'version', '1')).to.equal(false);
      expect(await orders.get('o1')).to.deep.equal({ _id: 'o1', version: 1, kind: 'a' });
      expect(await orders.putIf({ _id: 'o1', version: 2 }, 'version', 1)).to.equal(true);
      expect(await orders.get('o1')).to.deep.equal({ _id: 'o1', version: 2 });
    });

    it('treats an expected null as matching a null or absent field', async () => {
      const orders = await seeded(store(), [{ _id: 'null', version: null }, { _id: 'absent' }]);
      expect(await orders.putIf({ _id: 'null', version: 1 }, 'version', null)).to.equal(true);
      expect(await orders.putIf({ _id: 'absent', version: 1 }, 'version', null)).to.equal(true);
      expect(await orders.putIf({ _id: 'absent', version: 2 }, 'version', null)).to.equal(false);
    });

    it('lets exactly one of several concurrent writers with the same expectation win', async function () {
      skipForGap(this, gaps.racyConditionalWrite);
      const orders = await seeded(store(), [{ _id: 'o1', version: 1 }]);
      const writers = Array.from({ length: 10 }, (_, i) =>
        orders.putIf({ _id: 'o1', version: 2, kind: `w${i}` }, 'version', 1),
      );
      const results = await Promise.all(writers);
      expect(results.filter(Boolean)).to.have.length(1);
      const winner = results.indexOf(true);
      expect(await orders.get('o1')).to.deep.equal({ _id: 'o1', version: 2, kind: `w${winner}` });
    });

    it('lets exactly one of several concurrent creators win', async () => {
      const orders = store().collection<Item>(freshName());
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          orders.putIf({ _id: 'o1', version: 1 }, 'version', undefined),
        ),
      );
      expect(results.filter(Boolean)).to.have.length(1);
    });

    it('reports a taken unique key as DuplicateKey', async () => {
      const accounts = await seeded(store(), [
        { _id: 'u1', email: 'a@x.test' },
        { _id: 'u2', email: 'b@x.test', version: 1 },
      ]);
      await accounts.ensureIndex(['email'], { unique: true });
      const error = await rejectionOf(
        accounts.putIf({ _id: 'u2', email: 'a@x.test', version: 2 }, 'version', 1),
      );
      expect(error).to.be.instanceOf(DuplicateKey);
      expect(await accounts.get('u2')).to.deep.equal({ _id: 'u2', email: 'b@x.test', version: 1 });
    });
  });
}
