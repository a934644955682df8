import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { readAllPages } from '../../../src/application/ports/index.js';
import type { EventStore, ReadAllOptions } from '../../../src/application/ports/index.js';
import { createSqliteEventStore } from '../../../src/infrastructure/eventStore/index.js';

describe('readAllPages: the one pager over the global log', () => {
  let store: EventStore;
  let reads: ReadAllOptions[];
  let counted: EventStore;

  beforeEach(async () => {
    store = createSqliteEventStore({ path: ':memory:' });
    for (let n = 0; n < 5; n += 1) {
      await store.append(
        `thing-${randomUUID()}`,
        [{ id: randomUUID(), type: n % 2 ? 'Odd' : 'Even', data: { n }, metadata: {} }],
        'no_stream',
      );
    }
    reads = [];
    counted = Object.create(store) as EventStore;
    counted.readAll = (options) => (reads.push(options ?? {}), store.readAll(options));
  });
  afterEach(() => store.close());

  it('given five events, when paged by two, then pages of 2, 2 and 1 follow each other with nothing skipped or repeated', async () => {
    const pages = [];
    for await (const page of readAllPages(counted, { pageSize: 2 }))
      pages.push(page.map((event) => (event.data as { n: number }).n));
    expect(pages).to.deep.equal([[0, 1], [2, 3], [4]]);
    expect(reads.map((read) => read.after)).to.deep.equal([
      undefined,
      reads[1]!.after,
      reads[2]!.after,
    ]);
    expect(reads[2]!.after).to.be.greaterThan(reads[1]!.after!);
  });

  it('given a type filter, when paged, then it reaches the store and only those types come back', async () => {
    const seen: number[] = [];
    for await (const page of readAllPages(counted, { pageSize: 2, types: ['Even'] }))
      seen.push(...page.map((event) => (event.data as { n: number }).n));
    expect(seen).to.deep.equal([0, 2, 4]);
    expect(reads.every((read) => read.types?.[0] === 'Even')).to.equal(true);
  });

  it('given a consumer that stops after the first page, then no further page is read', async () => {
    for await (const page of readAllPages(counted, { pageSize: 2 })) {
      expect(page).to.have.length(2);
      break;
    }
    expect(reads).to.have.length(1);
  });

  it('given beforeRead, then it runs before every page is read', async () => {
    const order: string[] = [];
    const traced = Object.create(counted) as EventStore;
    traced.readAll = (options) => (order.push('read'), counted.readAll(options));
    for await (const _page of readAllPages(traced, {
      pageSize: 2,
      beforeRead: async () => void order.push('before'),
    }));
    expect(order).to.deep.equal(['before', 'read', 'before', 'read', 'before', 'read']);
  });
});
