import { expect } from 'chai';
import express, { type ErrorRequestHandler } from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { authRouter } from '../../../src/api/routes/auth.js';
import { actorOf, authenticate, requireRole } from '../../../src/api/middleware/authenticate.js';
import { DomainError, TooManyRequests } from '../../../src/domain/shared/index.js';
import { createWorld, freshEmail, registered, type World } from './fixtures.js';

// Stands in for the app's problem+json middleware (written elsewhere): just enough to see statuses.
const statusOf: Record<string, number> = {
  validation: 400,
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  conflict: 409,
  too_many_requests: 429,
};
const errors: ErrorRequestHandler = (error, _req, res, _next) => {
  if (!(error instanceof DomainError)) return void res.status(500).json({ message: 'internal' });
  if (error instanceof TooManyRequests) res.set('Retry-After', String(error.retryAfterSeconds));
  res.status(statusOf[error.code] ?? 500).json({ code: error.code, message: error.message });
};

describe('auth router', () => {
  let world: World;
  let server: Server;
  let base: string;

  before(async () => {
    world = await createWorld({
      limits: { loginFailuresPerEmail: { limit: 2, windowSeconds: 900 } },
    });
    const app = express();
    app.use(express.json());
    app.use('/api/auth', authRouter(world.accounts));
    app.get('/admin-only', authenticate(world.tokens), requireRole('admin'), (_req, res) => {
      res.json(actorOf(res));
    });
    app.use(errors);
    server = app.listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await world.close();
  });

  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    };
  };

  const signUp = async (email: string, extra: Record<string, unknown> = {}) => {
    await call('POST', '/api/auth/emailVerify', { email });
    const otp = await world.otpFor(email);
    return call('POST', '/api/auth/register', {
      name: 'Ada',
      email,
      phone: '+1 555 0100',
      password: 'correct horse battery',
      confirmPassword: 'correct horse battery',
      otp,
      ...extra,
    });
  };

  it('runs the whole flow: emailVerify, register, login, me, refresh, logout', async () => {
    const email = freshEmail();
    const verify = await call('POST', '/api/auth/emailVerify', { email, number: '+1 555 0100' });
    expect(verify).to.deep.include({
      status: 200,
      body: { success: true, message: 'OTP generated and sent successfully' },
    });
    const otp = await world.otpFor(email);
    const created = await call('POST', '/api/auth/register', {
      name: 'Ada',
      email,
      number: '+1 555 0100',
      password: 'correct horse battery',
      confirmPassword: 'correct horse battery',
      otp,
    });
    expect(created).to.deep.include({
      status: 201,
      body: { success: true, message: 'User created successfully' },
    });

    const login = await call('POST', '/api/auth/login', {
      email,
      password: 'correct horse battery',
    });
    expect(login.status).to.equal(200);
    expect(Object.keys(login.body ?? {})).to.deep.equal(['success', 'token', 'refreshToken']);
    expect(login.headers.get('cache-control')).to.equal('no-store');
    const token = String(login.body?.token);

    const me = await call('GET', '/api/auth/me', undefined, { authorization: `Bearer ${token}` });
    expect(me.status).to.equal(200);
    expect(me.body).to.deep.include({ name: 'Ada', email, phone: '+1 555 0100', role: 'customer' });
    expect(Object.keys(me.body ?? {}).sort()).to.deep.equal([
      '_id',
      'email',
      'name',
      'phone',
      'role',
    ]);

    const refreshed = await call('POST', '/api/auth/refresh', {
      refreshToken: login.body?.refreshToken,
    });
    expect(refreshed.status).to.equal(200);
    expect(Object.keys(refreshed.body ?? {})).to.deep.equal([
      'success',
      'accessToken',
      'refreshToken',
    ]);
    const replay = await call('POST', '/api/auth/refresh', {
      refreshToken: login.body?.refreshToken,
    });
    expect(replay.status).to.equal(401);

    const second = await call('POST', '/api/auth/login', {
      email,
      password: 'correct horse battery',
    });
    const logout = await call('POST', '/api/auth/logout', {
      refreshToken: second.body?.refreshToken,
    });
    expect(logout).to.deep.include({ status: 204, body: undefined });
    expect(
      (await call('POST', '/api/auth/refresh', { refreshToken: second.body?.refreshToken })).status,
    ).to.equal(401);
  });

  it('answers emailVerify and login identically for known and unknown emails', async () => {
    const { email } = await registered(world);
    const unknown = freshEmail();
    const [known, fresh] = [
      await call('POST', '/api/auth/emailVerify', { email }),
      await call('POST', '/api/auth/emailVerify', { email: unknown }),
    ];
    expect(known).to.deep.include({ status: fresh.status, body: fresh.body });
    const [wrong, nobody] = [
      await call('POST', '/api/auth/login', { email, password: 'wrong password' }),
      await call('POST', '/api/auth/login', { email: unknown, password: 'wrong password' }),
    ];
    expect(wrong.status).to.equal(401);
    expect(nobody).to.deep.include({ status: wrong.status, body: wrong.body });
  });

  it('answers 429 with Retry-After after repeated failed logins', async () => {
    const { email } = await registered(world);
    await call('POST', '/api/auth/login', { email, password: 'wrong password' });
    await call('POST', '/api/auth/login', { email, password: 'wrong password' });
    const locked = await call('POST', '/api/auth/login', {
      email,
      password: 'correct horse battery',
    });
    expect(locked.status).to.equal(429);
    expect(Number(locked.headers.get('retry-after'))).to.be.within(1, 900);
  });

  it('refuses unknown fields and non-strings with 400', async () => {
    const email = freshEmail();
    expect((await signUp(email, { role: 'admin' })).status).to.equal(400);
    expect(
      (await call('POST', '/api/auth/login', { email: { $gt: '' }, password: 'x' })).status,
    ).to.equal(400);
    expect(
      (await call('POST', '/api/auth/login', { email, password: { $gt: '' } })).status,
    ).to.equal(400);
    expect((await call('POST', '/api/auth/emailVerify', { email, extra: 1 })).status).to.equal(400);
    expect(
      (await call('POST', '/api/auth/refresh', { refreshToken: { $ne: null } })).status,
    ).to.equal(400);
    expect((await call('POST', '/api/auth/logout', {})).status).to.equal(400);
    expect((await call('POST', '/api/auth/login', undefined)).status).to.equal(400);
  });

  it('me needs a valid bearer access token', async () => {
    expect((await call('GET', '/api/auth/me')).status).to.equal(401);
    expect(
      (await call('GET', '/api/auth/me', undefined, { authorization: 'Bearer nonsense' })).status,
    ).to.equal(401);
    const { email, password } = await registered(world);
    const { refreshToken } = await world.accounts.login({ email, password, ip: world.nextIp() });
    expect(
      (await call('GET', '/api/auth/me', undefined, { authorization: `Bearer ${refreshToken}` }))
        .status,
    ).to.equal(401);
    expect(
      (await call('GET', '/api/auth/me', undefined, { authorization: `Basic ${refreshToken}` }))
        .status,
    ).to.equal(401);
  });

  it('requireRole lets the role through and answers 403 to others', async () => {
    const admin = await world.accounts.createUser({
      email: freshEmail(),
      password: 'correct horse battery',
      role: 'admin',
    });
    const adminToken = world.tokens.issue({ userId: admin._id, role: 'admin' }).token;
    const customerToken = world.tokens.issue({ userId: admin._id, role: 'customer' }).token;
    const allowed = await call('GET', '/admin-only', undefined, {
      authorization: `Bearer ${adminToken}`,
    });
    expect(allowed).to.deep.include({ status: 200, body: { userId: admin._id, role: 'admin' } });
    expect(
      (await call('GET', '/admin-only', undefined, { authorization: `Bearer ${customerToken}` }))
        .status,
    ).to.equal(403);
    expect((await call('GET', '/admin-only')).status).to.equal(401);
  });
});
