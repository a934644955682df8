import { expect } from 'chai';
import { Unauthorized } from '../../../src/domain/shared/index.js';
import { createWorld, freshEmail, registered, rejects, type World } from './fixtures.js';

describe('accounts: login, refresh, logout', () => {
  let world: World;
  before(async () => (world = await createWorld()));
  after(() => world.close());

  const login = async () => {
    const account = await registered(world);
    const session = await world.accounts.login({
      email: account.email,
      password: account.password,
      ip: world.nextIp(),
    });
    return { ...account, session };
  };

  it('logs in with an access token for the customer and an opaque 256-bit refresh token', async () => {
    const { user, session } = await login();
    expect(world.tokens.verify(session.token)).to.deep.equal({
      userId: user._id,
      role: 'customer',
    });
    expect(session.refreshToken).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(session.refreshToken, 'base64url')).to.have.length(32);
    expect(session.expiresIn).to.be.at.most(900);
  });

  it('answers a wrong password and an unknown email identically, spending a verify on both', async () => {
    const { email } = await registered(world);
    const before = world.hasherCalls.verify;
    const wrongPassword = await rejects(
      world.accounts.login({ email, password: 'wrong password', ip: world.nextIp() }),
    );
    expect(world.hasherCalls.verify - before).to.equal(1);
    const unknown = await rejects(
      world.accounts.login({ email: freshEmail(), password: 'wrong password', ip: world.nextIp() }),
    );
    expect(world.hasherCalls.verify - before).to.equal(2);
    for (const error of [wrongPassword, unknown]) {
      expect(error).to.be.instanceOf(Unauthorized);
      expect(error.message).to.equal('Invalid email or password');
    }
    expect(Object.entries(unknown)).to.deep.equal(Object.entries(wrongPassword));
  });

  it('stores refresh tokens hashed, with user, family, absolute expiry and usage', async () => {
    const { user, session } = await login();
    const stored = await world.documents.collection('refreshTokens').find({ userId: user._id });
    expect(stored).to.have.length(1);
    const [doc] = stored;
    expect(doc?._id).to.match(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).to.not.include(session.refreshToken);
    expect(doc).to.include({ usedAt: null, revokedAt: null });
    const lifetime = Date.parse(String(doc?.expiresAt)) - world.clock.now().getTime();
    expect(lifetime).to.equal(30 * 24 * 3600 * 1000);
  });

  it('rotates: a refresh gives a new pair and spends the old token', async () => {
    const { user, session } = await login();
    const next = await world.accounts.refresh({ refreshToken: session.refreshToken });
    expect(next.refreshToken).to.not.equal(session.refreshToken);
    expect(world.tokens.verify(next.accessToken)).to.deep.equal({
      userId: user._id,
      role: 'customer',
    });
    const third = await world.accounts.refresh({ refreshToken: next.refreshToken });
    expect(third.refreshToken).to.match(/^[A-Za-z0-9_-]{43}$/);
  });

  it('treats a replayed token as theft: 401, and the whole family dies, the newest token too', async () => {
    const { session } = await login();
    const next = await world.accounts.refresh({ refreshToken: session.refreshToken });
    const replay = await rejects(world.accounts.refresh({ refreshToken: session.refreshToken }));
    expect(replay).to.be.instanceOf(Unauthorized);
    expect(
      await rejects(world.accounts.refresh({ refreshToken: next.refreshToken })),
    ).to.be.instanceOf(Unauthorized);
    expect(world.logLines.some((line) => line.includes('refresh token reuse'))).to.equal(true);
  });

  it('lets only one of two concurrent refreshes with the same token win, and revokes the family', async () => {
    const { session } = await login();
    const results = await Promise.allSettled([
      world.accounts.refresh({ refreshToken: session.refreshToken }),
      world.accounts.refresh({ refreshToken: session.refreshToken }),
    ]);
    const won = results.filter((result) => result.status === 'fulfilled');
    expect(won).to.have.length(1);
    const winner = won[0] as PromiseFulfilledResult<{ refreshToken: string }>;
    expect(
      await rejects(world.accounts.refresh({ refreshToken: winner.value.refreshToken })),
    ).to.be.instanceOf(Unauthorized);
  });

  it('does not touch other sessions of the same user when one family is revoked', async () => {
    const { email, password, session } = await login();
    const other = await world.accounts.login({ email, password, ip: world.nextIp() });
    await world.accounts.refresh({ refreshToken: session.refreshToken });
    await rejects(world.accounts.refresh({ refreshToken: session.refreshToken }));
    expect(
      (await world.accounts.refresh({ refreshToken: other.refreshToken })).refreshToken,
    ).to.be.a('string');
  });

  it('logout revokes the family: the token and its successors fail after', async () => {
    const { session } = await login();
    const next = await world.accounts.refresh({ refreshToken: session.refreshToken });
    await world.accounts.logout({ refreshToken: next.refreshToken });
    expect(
      await rejects(world.accounts.refresh({ refreshToken: next.refreshToken })),
    ).to.be.instanceOf(Unauthorized);
    // Logging out twice, or with a token that never existed, is not an error.
    await world.accounts.logout({ refreshToken: next.refreshToken });
    await world.accounts.logout({ refreshToken: 'not-a-token' });
  });

  it('expires a session 30 days after login, however often it was rotated', async () => {
    const { session } = await login();
    world.clock.advance(29 * 24 * 3600);
    const late = await world.accounts.refresh({ refreshToken: session.refreshToken });
    world.clock.advance(24 * 3600);
    expect(
      await rejects(world.accounts.refresh({ refreshToken: late.refreshToken })),
    ).to.be.instanceOf(Unauthorized);
  });

  it('refuses unknown, malformed and empty refresh tokens', async () => {
    for (const refreshToken of ['', 'nope', 'A'.repeat(43), `${'A'.repeat(43)}=`]) {
      expect(await rejects(world.accounts.refresh({ refreshToken }))).to.be.instanceOf(
        Unauthorized,
      );
    }
  });

  it('me returns the profile and nothing secret', async () => {
    const { user, email, session } = await login();
    const me = await world.accounts.me(world.accounts.verifyAccessToken(session.token));
    expect(me).to.deep.equal({
      _id: user._id,
      name: 'Ada Lovelace',
      email,
      phone: '+44 20 7946 0000',
      role: 'customer',
    });
  });

  it('me refuses an actor whose account does not exist', async () => {
    const error = await rejects(
      world.accounts.me({ userId: '00000000-0000-4000-8000-000000000000', role: 'admin' }),
    );
    expect(error).to.be.instanceOf(Unauthorized);
  });
});
