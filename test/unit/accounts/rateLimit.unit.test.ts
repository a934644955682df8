import { expect } from 'chai';
import { failureLimit, rateLimit } from '../../../src/application/accounts/index.js';
import { TooManyRequests } from '../../../src/domain/shared/index.js';
import { createMemoryCache } from '../../../src/infrastructure/cache/index.js';

const refusal = async (promise: Promise<unknown>): Promise<TooManyRequests | undefined> => {
  try {
    await promise;
    return undefined;
  } catch (error) {
    expect(error).to.be.instanceOf(TooManyRequests);
    return error as TooManyRequests;
  }
};

describe('rate limits', () => {
  it('rateLimit lets `limit` requests through per window and refuses the next with the seconds left', async () => {
    const cache = createMemoryCache();
    for (let request = 1; request <= 3; request++) await rateLimit(cache, 'rate:test:a', 3, 60);
    const refused = await refusal(rateLimit(cache, 'rate:test:a', 3, 60));
    expect(refused?.retryAfterSeconds).to.be.within(1, 60);
    expect(await refusal(rateLimit(cache, 'rate:test:b', 3, 60))).to.equal(undefined);
  });

  it('failureLimit counts only failures, then refuses everything until the window ends', async () => {
    const cache = createMemoryCache();
    const limit = failureLimit(cache, 'rate:fail:a', { limit: 2, windowSeconds: 120 });
    await limit.check();
    expect(await limit.record()).to.equal(false);
    await limit.check();
    expect(await limit.record()).to.equal(true);
    const refused = await refusal(limit.check());
    expect(refused?.retryAfterSeconds).to.be.within(1, 120);
    expect(refused?.message).to.equal('Too many requests, try again later');
  });

  it('failureLimit reset forgets failures that have not locked', async () => {
    const cache = createMemoryCache();
    const limit = failureLimit(cache, 'rate:fail:b', { limit: 2, windowSeconds: 120 });
    await limit.record();
    await limit.reset();
    expect(await limit.record()).to.equal(false);
    await limit.check();
  });
});
