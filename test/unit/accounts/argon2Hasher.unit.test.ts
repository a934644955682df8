import { expect } from 'chai';
import {
  argon2Defaults,
  argon2Minimums,
  createArgon2Hasher,
} from '../../../src/infrastructure/security/index.js';
import { createWorld, registered, type World } from './fixtures.js';

const paramsOf = (hash: string) => {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(hash);
  expect(match, `not an argon2id hash: ${hash}`).to.not.equal(null);
  return { m: Number(match?.[1]), t: Number(match?.[2]), p: Number(match?.[3]) };
};

describe('argon2 password hasher', () => {
  it('defaults meet the floor: argon2id, at least 19 MiB and 2 passes', () => {
    expect(argon2Defaults.memoryCost).to.be.at.least(19_456);
    expect(argon2Defaults.timeCost).to.be.at.least(2);
    expect(argon2Minimums).to.deep.equal({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  });

  it('refuses parameters below the floor', () => {
    expect(() => createArgon2Hasher({ memoryCost: 19_455 })).to.throw(RangeError);
    expect(() => createArgon2Hasher({ timeCost: 1 })).to.throw(RangeError);
    expect(() => createArgon2Hasher({ parallelism: 0 })).to.throw(RangeError);
  });

  it('hashes with argon2id at the configured cost and verifies only the right password', async () => {
    const hasher = createArgon2Hasher({ memoryCost: 19_456, timeCost: 3 });
    const hash = await hasher.hash('correct horse battery');
    expect(paramsOf(hash)).to.deep.equal({ m: 19_456, t: 3, p: 1 });
    expect(await hasher.verify(hash, 'correct horse battery')).to.equal(true);
    expect(await hasher.verify(hash, 'correct horse batterY')).to.equal(false);
  });

  it('salts: the same password hashes differently each time', async () => {
    const hasher = createArgon2Hasher();
    expect(await hasher.hash('same password')).to.not.equal(await hasher.hash('same password'));
  });

  it('answers false, not an exception, for a hash it cannot read', async () => {
    const hasher = createArgon2Hasher();
    expect(await hasher.verify('not-a-hash', 'whatever')).to.equal(false);
    expect(await hasher.verify('', 'whatever')).to.equal(false);
  });

  describe('stored by accounts', () => {
    let world: World;
    before(async () => (world = await createWorld()));
    after(() => world.close());

    it('keeps an argon2id hash with m >= 19456 and t >= 2, never the password', async () => {
      const { email, password } = await registered(world);
      const [user] = await world.documents.collection('users').find({ email });
      const hash = String(user?.passwordHash);
      expect(hash.startsWith('$argon2id$')).to.equal(true);
      const { m, t } = paramsOf(hash);
      expect(m).to.be.at.least(19_456);
      expect(t).to.be.at.least(2);
      expect(JSON.stringify(user)).to.not.include(password);
    });
  });
});
