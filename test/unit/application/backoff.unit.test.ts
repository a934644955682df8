import { expect } from 'chai';
import { backoff } from '../../../src/application/backoff.js';

describe('backoff', () => {
  it('given retries, then the delay starts at the base and doubles with each one', () => {
    expect([0, 1, 2, 3].map((retry) => backoff(retry, { base: 100 }))).to.deep.equal([
      100, 200, 400, 800,
    ]);
  });

  it('given a cap, then no delay exceeds it', () => {
    expect([0, 3, 4, 10].map((retry) => backoff(retry, { base: 250, max: 2_000 }))).to.deep.equal([
      250, 2_000, 2_000, 2_000,
    ]);
  });

  it('given a limit on doublings, then the delay stops growing there even under a higher cap', () => {
    expect(
      [5, 6, 7, 1_000].map((retry) => backoff(retry, { base: 1, max: 1_000, maxDoublings: 6 })),
    ).to.deep.equal([32, 64, 64, 64]);
  });

  it('given a retry below zero, then it counts as the first', () => {
    expect(backoff(-1, { base: 50 })).to.equal(50);
  });

  it('given jitter, then half the delay is fixed and half drawn from the random source', () => {
    const at = (random: number) =>
      backoff(2, { base: 100, max: 300, jitter: true, random: () => random });
    expect([at(0), at(0.5), at(0.999)]).to.deep.equal([150, 225, 150 + 150 * 0.999]);
  });

  it('given no jitter, then the random source is never drawn', () => {
    let draws = 0;
    backoff(3, { base: 10, random: () => (draws += 1) });
    expect(draws).to.equal(0);
  });
});
