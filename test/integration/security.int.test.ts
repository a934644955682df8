import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { startTestSystem } from '../support/testSystem.js';
import type { TestSystem } from '../support/testSystem.js';
import { addProduct, expectProblem, signUp } from './support.js';

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('security at the HTTP boundary', function () {
  this.timeout(60_000);
  let system: TestSystem;
  let customer: Awaited<ReturnType<typeof signUp>>;
  let claims: jwt.JwtPayload;

  before(async () => {
    system = await startTestSystem();
    customer = await signUp(system);
    claims = jwt.decode(customer.token) as jwt.JwtPayload;
  });
  after(() => system?.stop());

  const me = (token: string) => system.http('GET', '/api/auth/me', { token });
  /** The embedded profile generated the signing key into the data folder: a forger who stole it. */
  const secret = () =>
    (
      JSON.parse(readFileSync(join(system.dataDir, '.secrets.json'), 'utf8')) as {
        JWT_SECRET: string;
      }
    ).JWT_SECRET;
  const forge = (overrides: jwt.JwtPayload, key = secret()) => {
    const { iat: _iat, ...rest } = claims;
    return jwt.sign({ ...rest, exp: Math.floor(Date.now() / 1000) + 600, ...overrides }, key, {
      algorithm: 'HS256',
    });
  };

  it('given a valid token, then it works (the forgeries below differ from it in one thing each)', async () => {
    expect((await me(customer.token)).status).to.equal(200);
    expect((await me(forge({}))).status).to.equal(200);
  });

  it('alg:none → 401', async () => {
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 })}.`;
    expectProblem(await me(unsigned), 401);
  });

  it('a token signed with another key → 401', async () => {
    expectProblem(await me(forge({}, 'another key that is long enough to be an HS256 key')), 401);
  });

  it('an expired token → 401', async () => {
    expectProblem(await me(forge({ exp: Math.floor(Date.now() / 1000) - 60 })), 401);
  });

  it('a wrong audience or issuer → 401', async () => {
    expectProblem(await me(forge({ aud: 'someone-else' })), 401);
    expectProblem(await me(forge({ iss: 'someone-else' })), 401);
  });

  it('a refresh token used as an access token, or a token of another type → 401', async () => {
    expectProblem(await me(customer.refreshToken), 401);
    expectProblem(await me(forge({ typ: 'refresh' })), 401);
  });

  it('a replayed rotated refresh token → 401, and the newer one is revoked with it', async () => {
    const session = await signUp(system);
    const rotated = await system.http('POST', '/api/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expect(rotated.status).to.equal(200);
    expectProblem(
      await system.http('POST', '/api/auth/refresh', {
        body: { refreshToken: session.refreshToken },
      }),
      401,
    );
    expectProblem(
      await system.http('POST', '/api/auth/refresh', {
        body: { refreshToken: rotated.body.refreshToken },
      }),
      401,
    );
  });

  it('login and emailVerify answer identically for known and unknown emails', async () => {
    const strip = (response: { status: number; body: any }) => {
      const { instance: _instance, ...body } = response.body ?? {};
      return { status: response.status, body };
    };
    const unknown = `nobody-${randomUUID()}@example.com`;
    const loginKnown = await system.http('POST', '/api/auth/login', {
      body: { email: customer.email, password: 'not it at all' },
    });
    const loginUnknown = await system.http('POST', '/api/auth/login', {
      body: { email: unknown, password: 'not it at all' },
    });
    expect(strip(loginKnown)).to.deep.equal(strip(loginUnknown));
    const verifyKnown = await system.http('POST', '/api/auth/emailVerify', {
      body: { email: customer.email },
    });
    const verifyUnknown = await system.http('POST', '/api/auth/emailVerify', {
      body: { email: unknown },
    });
    expect(strip(verifyKnown)).to.deep.equal(strip(verifyUnknown));
  });

  it('responses carry no X-Powered-By, and the security headers of a JSON API', async () => {
    const response = await system.http('GET', '/api/products');
    expect(response.headers.get('x-powered-by')).to.equal(null);
    expect(Object.fromEntries(response.headers)).to.include({
      'content-security-policy': "default-src 'none';frame-ancestors 'none'",
      'cross-origin-resource-policy': 'same-origin',
      'referrer-policy': 'no-referrer',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
    });
  });

  it("a customer reading another customer's order gets 404, and admins and auditors read any", async () => {
    const admin = await signUp(system, 'admin');
    const auditor = await signUp(system, 'auditor');
    const product = await addProduct(system, admin.token);
    const placed = await system.http('POST', '/api/orders', {
      token: customer.token,
      body: { items: [{ productId: product._id, quantity: 1 }] },
    });
    const id = placed.body.order._id as string;
    const headers = { 'x-min-position': placed.headers.get('x-event-position')! };
    const other = await signUp(system);
    expectProblem(
      await system.http('GET', `/api/orders/${id}`, { token: other.token, headers }),
      404,
    );
    expect(
      (await system.http('GET', `/api/orders/${id}`, { token: admin.token, headers })).status,
    ).to.equal(200);
    expect(
      (await system.http('GET', `/api/orders/${id}`, { token: auditor.token, headers })).status,
    ).to.equal(200);
    expectProblem(await system.http('DELETE', `/api/orders/${id}`, { token: auditor.token }), 403);
  });
});
