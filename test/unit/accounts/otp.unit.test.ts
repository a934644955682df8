import { expect } from 'chai';
import { InvalidInput } from '../../../src/domain/shared/index.js';
import { createWorld, freshEmail, registerWithOtp, rejects, type World } from './fixtures.js';

describe('accounts: email codes', () => {
  let world: World;
  beforeEach(async () => (world = await createWorld()));
  afterEach(() => world.close());

  const register = (email: string, otp: string, overrides: Record<string, string> = {}) =>
    registerWithOtp(world, email, otp, overrides);
  const requestOtp = (email: string, ip = world.nextIp()) =>
    world.accounts.requestEmailOtp({ email, ip });

  it('refuses a wrong code, and the code of another email', async () => {
    const [mine, theirs] = [freshEmail(), freshEmail()];
    await requestOtp(mine);
    await requestOtp(theirs);
    const theirCode = await world.otpFor(theirs);
    const myCode = await world.otpFor(mine);
    const wrong = myCode === '000000' ? '000001' : '000000';
    expect(await rejects(register(mine, wrong))).to.be.instanceOf(InvalidInput);
    if (theirCode !== myCode)
      expect(await rejects(register(mine, theirCode))).to.be.instanceOf(InvalidInput);
    expect(await rejects(register(theirs, myCode === theirCode ? wrong : myCode))).to.be.instanceOf(
      InvalidInput,
    );
    expect((await register(mine, myCode)).email).to.equal(mine);
  });

  it('accepts a code once', async () => {
    const email = freshEmail();
    await requestOtp(email);
    const otp = await world.otpFor(email);
    await register(email, otp);
    expect(await rejects(register(email, otp))).to.be.instanceOf(InvalidInput);
  });

  it('lets a code survive 4 wrong tries, and kills it on the 5th', async () => {
    const [lucky, unlucky] = [freshEmail(), freshEmail()];
    await requestOtp(lucky);
    await requestOtp(unlucky);
    const luckyCode = await world.otpFor(lucky);
    const unluckyCode = await world.otpFor(unlucky);
    const wrongFor = (code: string) => (code === '999999' ? '999998' : '999999');
    for (let attempt = 1; attempt <= 4; attempt++)
      await rejects(register(lucky, wrongFor(luckyCode)));
    expect((await register(lucky, luckyCode)).email).to.equal(lucky);

    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(await rejects(register(unlucky, wrongFor(unluckyCode)))).to.be.instanceOf(
        InvalidInput,
      );
    }
    expect(await rejects(register(unlucky, unluckyCode))).to.be.instanceOf(InvalidInput);
  });

  it('expires a code after 10 minutes', async () => {
    const [inTime, late] = [freshEmail(), freshEmail()];
    await requestOtp(inTime);
    await requestOtp(late);
    world.clock.advance(10 * 60 - 1);
    await register(inTime, await world.otpFor(inTime));
    world.clock.advance(1);
    expect(await rejects(register(late, await world.otpFor(late)))).to.be.instanceOf(InvalidInput);
  });

  it('replaces an earlier code with a new one', async () => {
    const email = freshEmail();
    await requestOtp(email);
    const first = await world.otpFor(email);
    await requestOtp(email);
    const second = await world.otpFor(email);
    if (first !== second)
      expect(await rejects(register(email, first))).to.be.instanceOf(InvalidInput);
    expect((await register(email, second)).email).to.equal(email);
  });
});
