import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { TOKENS } from '../../src/container.js';
import { startTestSystem } from '../support/testSystem.js';
import type { TestSystem } from '../support/testSystem.js';
import { addProduct, expectProblem, signUp } from './support.js';

describe('every error status of the API contract', function () {
  this.timeout(60_000);
  let system: TestSystem;
  let admin: Awaited<ReturnType<typeof signUp>>;
  let customer: Awaited<ReturnType<typeof signUp>>;

  before(async () => {
    system = await startTestSystem({ LOGIN_MAX_FAILURES: '3' });
    admin = await signUp(system, 'admin');
    customer = await signUp(system);
  });
  after(() => system?.stop());

  it('400: invalid input names the field, in both the RFC 9457 and the legacy members', async () => {
    const response = await system.http('POST', '/api/orders', {
      token: customer.token,
      body: { items: [{ productId: randomUUID(), quantity: 0 }] },
    });
    expectProblem(response, 400);
    expect(response.body.detail).to.contain('items[0].quantity');
    expect(response.body.errors[0].path).to.equal('items[0].quantity');
  });

  it('400: unknown fields, `role` in a registration and `status` in an order are refused', async () => {
    expectProblem(
      await system.http('POST', '/api/products', {
        token: admin.token,
        body: { name: 'x', price: 1, stock: 1, color: 'red' },
      }),
      400,
    );
    const email = `r-${randomUUID()}@example.com`;
    expectProblem(
      await system.http('POST', '/api/auth/register', {
        body: {
          name: 'x',
          email,
          phone: '1',
          password: 'password 123',
          confirmPassword: 'password 123',
          otp: '123456',
          role: 'admin',
        },
      }),
      400,
    );
    expectProblem(
      await system.http('POST', '/api/orders', {
        token: customer.token,
        body: { items: [{ productId: randomUUID(), quantity: 1 }], status: 'Processed' },
      }),
      400,
    );
  });

  it('400: query-operator objects are refused in bodies and in query strings', async () => {
    expectProblem(
      await system.http('POST', '/api/auth/login', {
        body: { email: { $gt: '' }, password: { $ne: null } },
      }),
      400,
    );
    expectProblem(
      await system.http('POST', '/api/products', {
        token: admin.token,
        body: { name: { $gt: '' }, price: 1, stock: 1 },
      }),
      400,
    );
    expectProblem(
      await system.http('GET', '/api/orders?status[$ne]=Pending', { token: customer.token }),
      400,
    );
    expectProblem(
      await system.http('GET', '/api/orders?userId[$gt]=a', { token: admin.token }),
      400,
    );
    expectProblem(
      await system.http('POST', '/api/auth/refresh', { body: { refreshToken: { $regex: '.*' } } }),
      400,
    );
  });

  it('400: a malformed JSON body and a price with three decimals', async () => {
    expectProblem(
      await system.http('POST', '/api/products', { token: admin.token, body: '{"name": ' }),
      400,
    );
    expectProblem(
      await system.http('POST', '/api/products', {
        token: admin.token,
        body: { name: 'x', price: 1.999, stock: 1 },
      }),
      400,
    );
  });

  it('401: no token, a garbage token; 403: a customer adding a product, an auditor placing an order', async () => {
    expectProblem(await system.http('GET', '/api/orders'), 401);
    expectProblem(await system.http('GET', '/api/orders', { token: 'not-a-token' }), 401);
    expectProblem(
      await system.http('POST', '/api/products', {
        token: customer.token,
        body: { name: 'x', price: 1, stock: 1 },
      }),
      403,
    );
    const auditor = await signUp(system, 'auditor');
    expectProblem(
      await system.http('POST', '/api/orders', {
        token: auditor.token,
        body: { items: [{ productId: randomUUID(), quantity: 1 }] },
      }),
      403,
    );
  });

  it("404: an unknown order, another customer's order, an unknown route", async () => {
    const product = await addProduct(system, admin.token);
    const placed = await system.http('POST', '/api/orders', {
      token: customer.token,
      body: { items: [{ productId: product._id, quantity: 1 }] },
    });
    const other = await signUp(system);
    const stranger = await system.http('GET', `/api/orders/${placed.body.order._id}`, {
      token: other.token,
      headers: { 'x-min-position': placed.headers.get('x-event-position')! },
    });
    const missing = await system.http('GET', `/api/orders/${randomUUID()}`, { token: other.token });
    expectProblem(stranger, 404);
    expectProblem(missing, 404);
    expect(stranger.body.title).to.equal(missing.body.title);
    expectProblem(
      await system.http('DELETE', `/api/orders/${placed.body.order._id}`, { token: other.token }),
      404,
    );
    expectProblem(await system.http('GET', '/api/nothing-here'), 404);
  });

  it('409: an Idempotency-Key reused for a different order', async () => {
    const [a, b] = [await addProduct(system, admin.token), await addProduct(system, admin.token)];
    const key = randomUUID();
    const first = await system.http('POST', '/api/orders', {
      token: customer.token,
      body: { items: [{ productId: a._id, quantity: 1 }] },
      headers: { 'idempotency-key': key },
    });
    expect(first.status).to.equal(201);
    const reused = await system.http('POST', '/api/orders', {
      token: customer.token,
      body: { items: [{ productId: b._id, quantity: 1 }] },
      headers: { 'idempotency-key': key },
    });
    expectProblem(reused, 409);
  });

  it('412: If-Match naming an old revision', async () => {
    const product = await addProduct(system, admin.token);
    await system.http('PUT', `/api/products/${product._id}`, {
      token: admin.token,
      body: { stock: 3 },
    });
    const stale = await system.http('PUT', `/api/products/${product._id}`, {
      token: admin.token,
      body: { stock: 4 },
      headers: { 'if-match': '"0"' },
    });
    expectProblem(stale, 412);
  });

  it('413: a 1 MB body; 415: a body that is not JSON', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(1024 * 1024), price: 1, stock: 1 });
    expectProblem(
      await system.http('POST', '/api/products', { token: admin.token, body: huge }),
      413,
    );
    expectProblem(
      await system.http('POST', '/api/products', {
        token: admin.token,
        body: 'name=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
    );
  });

  it('422: an unknown product, a deleted product, more than is available', async () => {
    const product = await addProduct(system, admin.token, { name: 'Rare', price: 5, stock: 2 });
    const order = (productId: string, quantity: number) =>
      system.http('POST', '/api/orders', {
        token: customer.token,
        body: { items: [{ productId, quantity }] },
      });
    expectProblem(await order(randomUUID(), 1), 422);
    const tooMany = await order(product._id, 3);
    expectProblem(tooMany, 422);
    expect(tooMany.body.detail).to.equal('only 2 of Rare available');
    await system.http('DELETE', `/api/products/${product._id}`, { token: admin.token });
    expectProblem(await order(product._id, 1), 422);
  });

  it('429: repeated failed logins, with Retry-After', async () => {
    const attempt = () =>
      system.http('POST', '/api/auth/login', {
        body: { email: customer.email, password: 'wrong password' },
      });
    for (let i = 0; i < 3; i += 1) expectProblem(await attempt(), 401);
    const limited = await attempt();
    expectProblem(limited, 429);
    expect(Number(limited.headers.get('retry-after'))).to.be.greaterThan(0);
  });

  it('5xx: a failing dependency answers 500 problem+json with no internals', async () => {
    const broken = await startTestSystem();
    try {
      const brokenAdmin = await signUp(broken, 'admin');
      await (await broken.container.get(TOKENS.eventStore)).close();
      const response = await broken.http('POST', '/api/products', {
        token: brokenAdmin.token,
        body: { name: 'x', price: 1, stock: 1 },
      });
      expectProblem(response, 500);
      expect(response.body.detail).to.equal('something went wrong; the error was logged');
    } finally {
      await broken.stop();
    }
  });
});
