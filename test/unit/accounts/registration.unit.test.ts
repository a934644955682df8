import { expect } from 'chai';
import { Conflict, InvalidInput } from '../../../src/domain/shared/index.js';
import {
  createWorld,
  freshEmail,
  registered,
  registerWithOtp,
  rejects,
  testPassword as password,
  type World,
} from './fixtures.js';

describe('accounts: registration with an emailed code', () => {
  let world: World;
  beforeEach(async () => (world = await createWorld()));
  afterEach(() => world.close());

  const register = (email: string, otp: string, overrides: Record<string, string> = {}) =>
    registerWithOtp(world, email, otp, overrides);
  const requestOtp = (email: string, ip = world.nextIp()) =>
    world.accounts.requestEmailOtp({ email, ip });

  it('mails a 6-digit code and registers a customer with it', async () => {
    const email = freshEmail();
    await requestOtp(email);
    const [mail] = await world.mails();
    expect(mail?.to).to.equal(email);
    expect(mail?.html).to.match(/<strong>\d{6}<\/strong>/);
    const otp = await world.otpFor(email);
    expect(otp).to.match(/^\d{6}$/);

    const user = await register(email, otp);
    expect(user).to.include({
      name: 'Ada Lovelace',
      email,
      phone: '+44 20 7946 0000',
      role: 'customer',
    });
    expect(user._id).to.match(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(await world.accounts.me({ userId: user._id, role: 'customer' })).to.deep.equal(user);
  });

  it('normalises emails: trimmed and lower-cased at request, registration and login', async () => {
    const email = freshEmail();
    await requestOtp(`  ${email.toUpperCase()} `);
    const otp = await world.otpFor(email);
    const user = await register(` ${email.toUpperCase()}`, otp);
    expect(user.email).to.equal(email);
    const session = await world.accounts.login({
      email: `${email.toUpperCase()}  `,
      password,
      ip: world.nextIp(),
    });
    expect(session.token).to.be.a('string');
  });

  it('enforces the password policy: 8 to 128 characters, confirmation matching', async () => {
    const email = freshEmail();
    await requestOtp(email);
    const otp = await world.otpFor(email);
    const short = 'x'.repeat(7);
    const long = 'x'.repeat(129);
    expect(
      await rejects(register(email, otp, { password: short, confirmPassword: short })),
    ).to.be.instanceOf(InvalidInput);
    expect(
      await rejects(register(email, otp, { password: long, confirmPassword: long })),
    ).to.be.instanceOf(InvalidInput);
    expect(
      await rejects(register(email, otp, { confirmPassword: `${password}!` })),
    ).to.be.instanceOf(InvalidInput);
    // Policy failures come before the code is tried, so they cost no attempt.
    const eight = 'x'.repeat(8);
    expect(
      (await register(email, otp, { password: eight, confirmPassword: eight })).email,
    ).to.equal(email);
  });

  it('answers emailVerify the same for a registered email, sending a note instead of a code', async () => {
    const { email } = await registered(world);
    const before = (await world.mails()).length;
    expect(await requestOtp(email)).to.equal(undefined);
    expect(await requestOtp(freshEmail())).to.equal(undefined);
    const mails = (await world.mails()).slice(before);
    const note = mails.find((mail) => mail.to === email);
    expect(note?.text).to.include('already has an account');
    expect(note?.text).to.not.match(/\d{6}/);
    expect(mails.find((mail) => mail.to !== email)?.text).to.match(/verification code is: \d{6}/);
  });

  it('cannot register an email twice: a registered email is mailed no code', async () => {
    const { email } = await registered(world);
    await requestOtp(email);
    const latest = (await world.mails()).filter((mail) => mail.to === email).at(-1);
    expect(latest?.text).to.include('already has an account');
    expect(await rejects(register(email, '123456'))).to.be.instanceOf(InvalidInput);
  });

  it('creates users for operators: any role, no code, duplicates refused', async () => {
    const email = freshEmail();
    const admin = await world.accounts.createUser({
      email: ` ${email.toUpperCase()} `,
      password,
      role: 'admin',
    });
    expect(admin).to.include({ email, role: 'admin', name: email.split('@')[0], phone: null });
    const auditor = await world.accounts.createUser({
      email: freshEmail(),
      password,
      role: 'auditor',
      name: 'Ida Auditor',
      phone: '+1 555 0100',
    });
    expect(auditor).to.include({ role: 'auditor', name: 'Ida Auditor', phone: '+1 555 0100' });
    expect(
      await rejects(world.accounts.createUser({ email, password, role: 'customer' })),
    ).to.be.instanceOf(Conflict);
    expect(
      await rejects(
        world.accounts.createUser({ email: freshEmail(), password: 'short', role: 'admin' }),
      ),
    ).to.be.instanceOf(InvalidInput);
    const bogus = { email: freshEmail(), password, role: 'root' } as unknown as Parameters<
      typeof world.accounts.createUser
    >[0];
    expect(await rejects(world.accounts.createUser(bogus))).to.be.instanceOf(InvalidInput);
    const session = await world.accounts.login({ email, password, ip: world.nextIp() });
    expect(world.tokens.verify(session.token)).to.deep.equal({ userId: admin._id, role: 'admin' });
  });

  it('refuses registering an email an operator already created, even with a valid code', async () => {
    const email = freshEmail();
    await requestOtp(email);
    const otp = await world.otpFor(email);
    await world.accounts.createUser({ email, password, role: 'customer' });
    expect(await rejects(register(email, otp))).to.be.instanceOf(Conflict);
  });
});
