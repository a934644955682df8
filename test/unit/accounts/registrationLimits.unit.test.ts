import { expect } from 'chai';
import { InvalidInput, TooManyRequests } from '../../../src/domain/shared/index.js';
import { createWorld, freshEmail, registered, rejects, type World } from './fixtures.js';

const password = 'correct horse battery';

describe('accounts: registration rate limits', () => {
  let world: World;
  beforeEach(
    async () =>
      (world = await createWorld({
        limits: {
          emailVerifyPerEmail: { limit: 2, windowSeconds: 60 },
          emailVerifyPerIp: { limit: 3, windowSeconds: 60 },
          registerPerIp: { limit: 2, windowSeconds: 60 },
        },
      })),
  );
  afterEach(() => world.close());

  it('limits emailVerify per email, whoever asks', async () => {
    const email = freshEmail();
    await world.accounts.requestEmailOtp({ email, ip: world.nextIp() });
    await world.accounts.requestEmailOtp({ email, ip: world.nextIp() });
    const error = await rejects(world.accounts.requestEmailOtp({ email, ip: world.nextIp() }));
    expect(error).to.be.instanceOf(TooManyRequests);
    expect((error as TooManyRequests).retryAfterSeconds).to.be.within(1, 60);
    expect((await world.mails()).length).to.equal(2);
  });

  it('limits emailVerify per IP, whatever the email, known or not', async () => {
    const ip = world.nextIp();
    const { email: known } = await registered(world);
    await world.accounts.requestEmailOtp({ email: known, ip });
    await world.accounts.requestEmailOtp({ email: freshEmail(), ip });
    await world.accounts.requestEmailOtp({ email: freshEmail(), ip });
    expect(await rejects(world.accounts.requestEmailOtp({ email: known, ip }))).to.be.instanceOf(
      TooManyRequests,
    );
    expect(
      await rejects(world.accounts.requestEmailOtp({ email: freshEmail(), ip })),
    ).to.be.instanceOf(TooManyRequests);
  });

  it('limits register per IP', async () => {
    const ip = world.nextIp();
    const attempt = () =>
      world.accounts.register({
        name: 'N',
        email: freshEmail(),
        phone: '+1 555 0100',
        password,
        confirmPassword: password,
        otp: '123456',
        ip,
      });
    expect(await rejects(attempt())).to.be.instanceOf(InvalidInput);
    expect(await rejects(attempt())).to.be.instanceOf(InvalidInput);
    const error = await rejects(attempt());
    expect(error).to.be.instanceOf(TooManyRequests);
    expect((error as TooManyRequests).retryAfterSeconds).to.be.within(1, 60);
  });
});
