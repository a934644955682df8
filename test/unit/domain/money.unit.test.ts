import { expect } from 'chai';
import fc from 'fast-check';
import { InvalidInput, fromMinor, toMinor } from '../../../src/domain/shared/index.js';

describe('money', () => {
  describe('toMinor', () => {
    for (const [amount, minor] of [
      ['19.99', 1999],
      [19.99, 1999],
      [0, 0],
      ['0', 0],
      ['0.5', 50],
      [0.5, 50],
      ['0.05', 5],
      ['0.50', 50],
      [100, 10000],
      ['999999999999.99', 99_999_999_999_999],
    ] as const) {
      it(`reads ${typeof amount} ${JSON.stringify(amount)} as ${minor} minor units`, () => {
        expect(toMinor(amount)).to.equal(minor);
      });
    }

    for (const amount of [
      1e-7,
      0.1 + 0.2,
      '1.999',
      1.999,
      '-1',
      -0.01,
      'abc',
      '',
      ' 1',
      '1.',
      '.5',
      '01',
      '1e2',
      '1,50',
      '1000000000000',
      Number.NaN,
      Number.POSITIVE_INFINITY,
      1e21,
    ]) {
      it(`refuses ${typeof amount} ${String(amount)} as InvalidInput`, () => {
        expect(() => toMinor(amount)).to.throw(InvalidInput);
      });
    }
  });

  describe('fromMinor', () => {
    it('gives the decimal amount the API speaks', () => {
      expect(fromMinor(1999)).to.equal(19.99);
      expect(fromMinor(50)).to.equal(0.5);
      expect(fromMinor(0)).to.equal(0);
    });
  });

  describe('round trips', () => {
    it('toMinor(fromMinor(m)) is m for every amount toMinor accepts', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 99_999_999_999_999 }), (minor) => {
          expect(toMinor(fromMinor(minor))).to.equal(minor);
        }),
        { numRuns: 1000 },
      );
    });

    it('fromMinor(toMinor(text)) is the number the text names', () => {
      const amount = fc
        .tuple(fc.nat({ max: 999_999 }), fc.option(fc.stringMatching(/^\d{1,2}$/)))
        .map(([whole, fraction]) => (fraction === null ? `${whole}` : `${whole}.${fraction}`));
      fc.assert(
        fc.property(amount, (text) => {
          expect(fromMinor(toMinor(text))).to.equal(Number(text));
        }),
        { numRuns: 1000 },
      );
    });
  });
});
