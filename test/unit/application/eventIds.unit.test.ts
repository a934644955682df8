import { expect } from 'chai';
import { deterministicId } from '../../../src/application/eventIds.js';

describe('deterministic event ids', () => {
  it('are the UUIDv5 they have always been: events already in the log were appended under them', () => {
    // Pinned from the first implementation (name and namespace passed to uuid as strings); a
    // redelivered message must derive the very id its first attempt appended.
    expect(deterministicId('3f0e8f5b-4d8e-9a53-2f0c-6b7d9e416f1c', 'reserve', 'prodé', 0)).to.equal(
      '5e234f85-24b5-5f7b-b653-abcf7696c1e7',
    );
  });

  it('differ when any part differs', () => {
    const ids = new Set([
      deterministicId('a', 'reserve', 0),
      deterministicId('a', 'reserve', 1),
      deterministicId('a', 'release', 0),
      deterministicId('b', 'reserve', 0),
    ]);
    expect(ids.size).to.equal(4);
  });
});
