import { expect } from 'chai';
import { createGroupCommitter } from '../../../src/infrastructure/threads/groupCommit.js';
import { startWriterThread } from '../../../src/infrastructure/threads/writerThread.js';

const ECHO = new URL('../../fixtures/echoThread.ts', import.meta.url);

describe('writer threads', () => {
  it('answers each call with its own result, and carries a thrown error back with its class', async () => {
    const thread = startWriterThread<number | 'throw' | 'die', number>(ECHO, {}, 'the test');
    try {
      const answers = await Promise.all([1, 2, 3].map((n) => thread.call(n)));
      expect(answers).to.deep.equal([2, 4, 6]);
      const error = await thread.call('throw').catch((thrown: unknown) => thrown);
      expect(error).to.be.instanceOf(RangeError).with.property('message', 'refused on the thread');
      expect(thread.failed()).to.equal(false);
      expect(await thread.call(21)).to.equal(42);
    } finally {
      await thread.close();
    }
  });

  it('fails the calls in flight when the thread dies, and says so, so that its owner starts another', async () => {
    const thread = startWriterThread<number | 'throw' | 'die', number>(ECHO, {}, 'the test');
    const error = await thread.call('die').catch((thrown: unknown) => thrown);
    expect(error)
      .to.be.instanceOf(Error)
      .with.property('message', "the test's writer thread exited (code 3)");
    expect(thread.failed()).to.equal(true);
    expect(await thread.call(1).catch((thrown: unknown) => thrown)).to.equal(error);
    await thread.close(); // nothing to close; must not hang
  });
});

describe('group commit', () => {
  const recording = () => {
    const groups: number[][] = [];
    const committed: number[][] = [];
    const committer = createGroupCommitter<number, number>(
      async (batch) => {
        groups.push([...batch]);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return batch.map((n) =>
          n < 0 ? { error: new RangeError(`negative: ${n}`) } : { outcome: n * 10 },
        );
      },
      (outcomes) => committed.push([...outcomes]),
    );
    return { groups, committed, committer };
  };

  it('commits what was asked in one turn as one group, and what arrives meanwhile as the next', async () => {
    const { groups, committed, committer } = recording();
    const first = [1, 2, 3].map((n) => committer.submit(n));
    await new Promise((resolve) => setImmediate(resolve));
    const second = [4, 5].map((n) => committer.submit(n)); // the first group is in flight
    expect(await Promise.all([...first, ...second])).to.deep.equal([10, 20, 30, 40, 50]);
    expect(groups).to.deep.equal([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(committed).to.deep.equal([
      [10, 20, 30],
      [40, 50],
    ]);
  });

  it('refuses only the request whose own outcome is an error, and settles once all are answered', async () => {
    const { committed, committer } = recording();
    const results = await Promise.allSettled([1, -2, 3].map((n) => committer.submit(n)));
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).to.be.instanceOf(RangeError);
    expect(committed).to.deep.equal([[10, 30]]);
    const late = committer.submit(7);
    await committer.settled();
    expect(await late).to.equal(70);
  });

  it('refuses the whole group when the commit itself fails', async () => {
    const committer = createGroupCommitter<number, number>(() => {
      throw new Error('disk full');
    });
    const results = await Promise.allSettled([1, 2].map((n) => committer.submit(n)));
    expect(results.map((r) => r.status)).to.deep.equal(['rejected', 'rejected']);
  });
});
