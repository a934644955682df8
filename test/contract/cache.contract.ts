import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { Cache } from '../../src/application/ports/index.js';

export type OpenCache = () => Promise<{ cache: Cache; cleanup(): Promise<void> }>;

/** Fresh per test: the server may be shared with other tests and runs. */
const freshKey = (prefix = 'contract') => `${prefix}:${randomBytes(6).toString('hex')}`;

const rejectionOf = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected a rejection');
};

/** Bounded polling: waits for expiry to be observed, never asserts how fast it came. */
async function eventually(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** One suite for every Cache adapter. TTLs are seconds; expiry is awaited by polling. */
export function cacheContract(name: string, open: OpenCache) {
  describe(`Cache contract: ${name}`, function () {
    let opened: Awaited<ReturnType<OpenCache>> | undefined;
    const cache = () => {
      if (!opened) throw new Error('the cache did not open');
      return opened.cache;
    };

    before(async function () {
      opened = await open();
    });

    after(async function () {
      await opened?.cleanup();
    });

    it('gives null for a key never set, and the last value set otherwise', async () => {
      const key = freshKey();
      expect(await cache().get(key)).to.equal(null);
      await cache().set(key, 'one');
      await cache().set(key, 'two ✓ {"json":true}');
      expect(await cache().get(key)).to.equal('two ✓ {"json":true}');
    });

    it('forgets a key when its TTL runs out', async () => {
      const key = freshKey();
      await cache().set(key, 'v', 1);
      await eventually(async () => (await cache().get(key)) === null, 'the key to expire');
      expect(await cache().ttl(key)).to.equal(null);
    });

    it('reports seconds left, or null for a missing key or one that never expires', async () => {
      const [lasting, forever] = [freshKey(), freshKey()];
      await cache().set(lasting, 'v', 100);
      await cache().set(forever, 'v');
      const left = await cache().ttl(lasting);
      expect(left).to.be.a('number').within(1, 100);
      expect(await cache().ttl(forever)).to.equal(null);
      expect(await cache().ttl(freshKey())).to.equal(null);
    });

    it('drops the TTL when a key is set again without one', async () => {
      const key = freshKey();
      await cache().set(key, 'v', 100);
      await cache().set(key, 'w');
      expect(await cache().ttl(key)).to.equal(null);
    });

    it('deletes a key; deleting a missing key is fine', async () => {
      const key = freshKey();
      await cache().set(key, 'v');
      await cache().delete(key);
      expect(await cache().get(key)).to.equal(null);
      await cache().delete(key);
    });

    it('sets only an absent key, and again once it has expired', async () => {
      const key = freshKey();
      expect(await cache().setIfAbsent(key, 'first', 1)).to.equal(true);
      expect(await cache().setIfAbsent(key, 'second', 1)).to.equal(false);
      await eventually(async () => cache().setIfAbsent(key, 'third'), 'the key to expire');
      expect(await cache().get(key)).to.equal('third');
      expect(await cache().ttl(key)).to.equal(null);
    });

    it('lets exactly one of several concurrent setIfAbsent calls win', async () => {
      const key = freshKey();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => cache().setIfAbsent(key, `w${i}`, 60)),
      );
      expect(results.filter(Boolean)).to.have.length(1);
      expect(await cache().get(key)).to.equal(`w${results.indexOf(true)}`);
    });

    it('counts concurrent increments without losing any', async () => {
      const key = freshKey();
      const counts = await Promise.all(
        Array.from({ length: 20 }, () => cache().increment(key, 60)),
      );
      expect([...counts].sort((a, b) => a - b)).to.deep.equal(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      expect(await cache().get(key)).to.equal('20');
    });

    it('starts the window TTL with the first increment and does not extend it', async () => {
      const key = freshKey();
      expect(await cache().increment(key, 1)).to.equal(1);
      expect(await cache().ttl(key)).to.be.a('number');
      // A sliding window would never let the count fall back to 1 while we keep incrementing.
      await eventually(async () => (await cache().increment(key, 1)) === 1, 'a new window');
    });

    it('keeps the TTL a key already has when incremented', async () => {
      const key = freshKey();
      await cache().set(key, '5', 100);
      expect(await cache().increment(key, 1)).to.equal(6);
      expect(await cache().ttl(key))
        .to.be.a('number')
        .above(1);
    });

    it('gives a window to a counter that had no TTL', async () => {
      const key = freshKey();
      await cache().set(key, '5');
      expect(await cache().increment(key, 100)).to.equal(6);
      expect(await cache().ttl(key))
        .to.be.a('number')
        .within(1, 100);
    });

    it('refuses to increment a value that is not an integer', async () => {
      const key = freshKey();
      await cache().set(key, 'abc');
      await rejectionOf(cache().increment(key, 10));
      expect(await cache().get(key)).to.equal('abc');
    });

    it('refuses a TTL that is not a positive number of seconds', async () => {
      await rejectionOf(cache().set(freshKey(), 'v', 0));
      await rejectionOf(cache().setIfAbsent(freshKey(), 'v', -1));
      await rejectionOf(cache().increment(freshKey(), 0));
    });

    it('answers a ping', async () => {
      await cache().ping();
    });
  });
}
