import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { Unauthorized } from '../../../src/domain/shared/index.js';
import type { AccessTokens, Actor } from '../../../src/application/ports/security.js';
import {
  createJwtAccessTokens,
  maxAccessTokenTtlSeconds,
} from '../../../src/infrastructure/security/index.js';
import { fixedClock, jwtSettings } from './fixtures.js';

const actor: Actor = { userId: '5f0c6f43-6d0e-4c55-9d3b-4a4a6a1f7a10', role: 'customer' };
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

const expectUnauthorized = (tokens: AccessTokens, token: string) =>
  expect(() => tokens.verify(token)).to.throw(Unauthorized, 'Invalid or expired access token');

describe('JWT access tokens', () => {
  const clock = fixedClock();
  const tokens = createJwtAccessTokens({ ...jwtSettings, clock });
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
  const validClaims = () => ({
    sub: actor.userId,
    role: actor.role,
    typ: 'access',
    iss: jwtSettings.issuer,
    aud: jwtSettings.audience,
    iat: nowSeconds(),
    exp: nowSeconds() + 60,
  });

  it('issues a token that verifies back to the actor', () => {
    const { token, expiresIn } = tokens.issue({ userId: actor.userId, role: 'admin' });
    expect(tokens.verify(token)).to.deep.equal({ userId: actor.userId, role: 'admin' });
    expect(expiresIn).to.be.at.most(15 * 60);
  });

  it('carries HS256, sub, role, typ=access, issuer, audience, and lives at most 15 minutes', () => {
    const { token } = tokens.issue(actor);
    const decoded = jwt.decode(token, { complete: true });
    expect(decoded?.header.alg).to.equal('HS256');
    const payload = decoded?.payload as jwt.JwtPayload;
    expect(payload).to.include({ sub: actor.userId, role: 'customer', typ: 'access' });
    expect(payload).to.include({ iss: jwtSettings.issuer, aud: jwtSettings.audience });
    expect(Number(payload.exp) - Number(payload.iat)).to.be.within(1, 15 * 60);
    expect(payload.iat).to.equal(nowSeconds());
  });

  it('refuses to be configured for longer than 15 minutes or with a short key', () => {
    expect(maxAccessTokenTtlSeconds).to.equal(900);
    expect(() => createJwtAccessTokens({ ...jwtSettings, ttlSeconds: 901 })).to.throw(RangeError);
    expect(() => createJwtAccessTokens({ ...jwtSettings, secret: 'short' })).to.throw(RangeError);
  });

  it('rejects alg:none', () => {
    const header = base64url({ alg: 'none', typ: 'JWT' });
    expectUnauthorized(tokens, `${header}.${base64url(validClaims())}.`);
  });

  it('rejects another HMAC algorithm with the same key (the algorithm is pinned)', () => {
    expectUnauthorized(tokens, jwt.sign(validClaims(), jwtSettings.secret, { algorithm: 'HS512' }));
  });

  it('rejects a token signed with another key', () => {
    const other = createJwtAccessTokens({
      ...jwtSettings,
      secret: 'another-secret-also-at-least-32-bytes-long',
      clock,
    });
    expectUnauthorized(tokens, other.issue(actor).token);
  });

  it('rejects an expired token', () => {
    const past = fixedClock(new Date(clock.now().getTime() - 16 * 60 * 1000));
    const old = createJwtAccessTokens({ ...jwtSettings, clock: past });
    expectUnauthorized(tokens, old.issue(actor).token);
  });

  it('expires with the clock: valid before exp, refused after', () => {
    const moving = fixedClock();
    const ticking = createJwtAccessTokens({ ...jwtSettings, ttlSeconds: 300, clock: moving });
    const { token } = ticking.issue(actor);
    moving.advance(299);
    expect(ticking.verify(token)).to.deep.equal(actor);
    moving.advance(1);
    expectUnauthorized(ticking, token);
  });

  it('given a token verified once, when its signature is altered, then the altered token is refused', () => {
    const { token } = tokens.issue(actor);
    expect(tokens.verify(token)).to.deep.equal(actor);
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    expectUnauthorized(tokens, `${token.slice(0, -1)}${last}`);
    expectUnauthorized(tokens, `${token.slice(0, token.lastIndexOf('.') + 1)}`);
    expect(tokens.verify(token)).to.deep.equal(actor);
  });

  it('given a token verified and remembered, when it expires, then it is refused from then on', () => {
    const moving = fixedClock();
    const ticking = createJwtAccessTokens({ ...jwtSettings, ttlSeconds: 60, clock: moving });
    const { token } = ticking.issue(actor);
    for (let second = 0; second < 60; second += 15, moving.advance(15)) {
      expect(ticking.verify(token)).to.deep.equal(actor);
    }
    expectUnauthorized(ticking, token);
    expectUnauthorized(ticking, token);
  });

  it('given no memory of verified tokens, then every rule holds the same', () => {
    const moving = fixedClock();
    const uncached = createJwtAccessTokens({
      ...jwtSettings,
      ttlSeconds: 60,
      clock: moving,
      verifiedCacheSize: 0,
    });
    const { token } = uncached.issue(actor);
    expect(uncached.verify(token)).to.deep.equal(actor);
    moving.advance(60);
    expectUnauthorized(uncached, token);
  });

  it('rejects a wrong audience or issuer', () => {
    const wrongAudience = createJwtAccessTokens({
      ...jwtSettings,
      audience: 'someone-else',
      clock,
    });
    const wrongIssuer = createJwtAccessTokens({ ...jwtSettings, issuer: 'someone-else', clock });
    expectUnauthorized(tokens, wrongAudience.issue(actor).token);
    expectUnauthorized(tokens, wrongIssuer.issue(actor).token);
  });

  it('rejects a refresh token presented as an access token, opaque or typed', () => {
    expectUnauthorized(tokens, 'q5lR0Z2K6l3mV8o2Jr3pYd9Kp0rH1t7C3nq9E4sW5xA');
    const typedRefresh = jwt.sign({ ...validClaims(), typ: 'refresh' }, jwtSettings.secret, {
      algorithm: 'HS256',
    });
    expectUnauthorized(tokens, typedRefresh);
  });

  it('rejects a token without a type, an expiry, a subject or a known role', () => {
    const sign = (claims: object) => jwt.sign(claims, jwtSettings.secret, { algorithm: 'HS256' });
    const { typ: _typ, ...untyped } = validClaims();
    const { exp: _exp, ...endless } = validClaims();
    const { sub: _sub, ...anonymous } = validClaims();
    expectUnauthorized(tokens, sign(untyped));
    expectUnauthorized(tokens, sign(endless));
    expectUnauthorized(tokens, sign(anonymous));
    expectUnauthorized(tokens, sign({ ...validClaims(), role: 'root' }));
    expect(tokens.verify(sign(validClaims()))).to.deep.equal(actor);
  });

  it('rejects garbage', () => {
    expectUnauthorized(tokens, '');
    expectUnauthorized(tokens, 'a.b.c');
  });
});
