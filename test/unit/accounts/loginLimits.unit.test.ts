import { expect } from 'chai';
import { TooManyRequests, Unauthorized } from '../../../src/domain/shared/index.js';
import { createWorld, freshEmail, registered, rejects, type World } from './fixtures.js';

describe('accounts: failed login limits', () => {
  let world: World;
  beforeEach(
    async () =>
      (world = await createWorld({
        limits: {
          loginFailuresPerEmail: { limit: 3, windowSeconds: 900 },
          loginFailuresPerIp: { limit: 5, windowSeconds: 900 },
        },
      })),
  );
  afterEach(() => world.close());

  it('answers 429 with Retry-After once an email has had too many failures, even with the right password', async () => {
    const { email, password } = await registered(world);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const error = await rejects(
        world.accounts.login({ email, password: 'wrong password', ip: world.nextIp() }),
      );
      expect(error).to.be.instanceOf(Unauthorized);
    }
    const locked = await rejects(world.accounts.login({ email, password, ip: world.nextIp() }));
    expect(locked).to.be.instanceOf(TooManyRequests);
    expect((locked as TooManyRequests).retryAfterSeconds).to.be.within(1, 900);
  });

  it('locks an unknown email the same way as a known one', async () => {
    const { email: known } = await registered(world);
    const unknown = freshEmail();
    for (const email of [known, unknown]) {
      for (let attempt = 1; attempt <= 3; attempt++) {
        await rejects(
          world.accounts.login({ email, password: 'wrong password', ip: world.nextIp() }),
        );
      }
      const locked = await rejects(
        world.accounts.login({ email, password: 'wrong password', ip: world.nextIp() }),
      );
      expect(locked).to.be.instanceOf(TooManyRequests);
    }
  });

  it('limits failures per IP across emails', async () => {
    const ip = world.nextIp();
    for (let attempt = 1; attempt <= 5; attempt++) {
      await rejects(world.accounts.login({ email: freshEmail(), password: 'wrong password', ip }));
    }
    const { email, password } = await registered(world);
    expect(await rejects(world.accounts.login({ email, password, ip }))).to.be.instanceOf(
      TooManyRequests,
    );
    expect((await world.accounts.login({ email, password, ip: world.nextIp() })).token).to.be.a(
      'string',
    );
  });

  it('forgets earlier failures after a successful login', async () => {
    const { email, password } = await registered(world);
    for (let round = 1; round <= 2; round++) {
      await rejects(
        world.accounts.login({ email, password: 'wrong password', ip: world.nextIp() }),
      );
      await rejects(
        world.accounts.login({ email, password: 'wrong password', ip: world.nextIp() }),
      );
      expect((await world.accounts.login({ email, password, ip: world.nextIp() })).token).to.be.a(
        'string',
      );
    }
  });
});
