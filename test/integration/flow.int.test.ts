import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { otpFrom, startTestSystem } from '../support/testSystem.js';
import type { TestSystem } from '../support/testSystem.js';

describe('the original API on the event-sourced core (embedded)', function () {
  this.timeout(60_000);
  let system: TestSystem;
  let adminToken: string;

  before(async () => {
    system = await startTestSystem();
    const email = `admin-${randomUUID()}@example.com`;
    const created = JSON.parse(
      await system.cli(
        'users',
        'create',
        '--email',
        email,
        '--password',
        'admin password 1',
        '--role',
        'admin',
      ),
    );
    expect(created.role).to.equal('admin');
    const login = await system.http('POST', '/api/auth/login', {
      body: { email, password: 'admin password 1' },
    });
    adminToken = login.body.token;
  });
  after(() => system?.stop());

  const addProduct = async (body: { name: string; price: number; stock: number }) => {
    const response = await system.http('POST', '/api/products', { token: adminToken, body });
    expect(response.status, response.text).to.equal(201);
    return response;
  };

  const registerCustomer = async () => {
    const email = `customer-${randomUUID()}@example.com`;
    const verify = await system.http('POST', '/api/auth/emailVerify', { body: { email } });
    expect(verify.body).to.deep.equal({
      success: true,
      message: 'OTP generated and sent successfully',
    });
    const otp = otpFrom(system.mailTo(email));
    const register = await system.http('POST', '/api/auth/register', {
      body: {
        name: 'Ada',
        email,
        phone: '+441234567890',
        password: 'customer password',
        confirmPassword: 'customer password',
        otp,
      },
    });
    expect(register.status, register.text).to.equal(201);
    expect(register.body).to.deep.equal({ success: true, message: 'User created successfully' });
    const login = await system.http('POST', '/api/auth/login', {
      body: { email, password: 'customer password' },
    });
    expect(login.status).to.equal(200);
    return {
      email,
      token: login.body.token as string,
      refreshToken: login.body.refreshToken as string,
    };
  };

  it('given an admin made with the CLI, when they add, update and delete products, then the catalog follows', async () => {
    const added = await addProduct({ name: 'Teapot', price: 24.5, stock: 7 });
    const { product } = added.body;
    expect(product).to.include({ name: 'Teapot', price: 24.5, stock: 7 });
    expect(product._id).to.match(/^[0-9a-f-]{36}$/);
    expect(added.headers.get('etag')).to.equal('"0"');
    expect(Number(added.headers.get('x-event-position'))).to.be.greaterThan(0);

    const updated = await system.http('PUT', `/api/products/${product._id}`, {
      token: adminToken,
      body: { price: 19.99, stock: 12 },
      headers: { 'if-match': '"0"' },
    });
    expect(updated.body).to.deep.equal({ success: true, message: 'Product updated successfully' });
    const read = await system.http('GET', `/api/products/${product._id}`);
    expect(read.body).to.include({
      _id: product._id,
      name: 'Teapot',
      price: 19.99,
      stock: 12,
      available: 12,
    });
    expect(read.body).to.have.keys(
      '_id',
      'name',
      'price',
      'stock',
      'reserved',
      'available',
      'deleted',
      'createdAt',
      'updatedAt',
    );
    expect(read.headers.get('etag')).to.equal('"2"');

    const listed = await system.http('GET', '/api/products?limit=100', {
      headers: { 'x-min-position': updated.headers.get('x-event-position')! },
    });
    expect(listed.body.products.map((p: { _id: string }) => p._id)).to.include(product._id);

    const deleted = await system.http('DELETE', `/api/products/${product._id}`, {
      token: adminToken,
    });
    expect(deleted.body).to.deep.equal({ success: true, message: 'Product deleted successfully' });
    expect((await system.http('GET', `/api/products/${product._id}`)).status).to.equal(404);
  });

  it('given a customer registered by OTP, when they refresh, place, read, list and cancel, then every answer keeps the original shapes', async () => {
    const { product } = (await addProduct({ name: 'Kettle', price: 30, stock: 5 })).body;
    const customer = await registerCustomer();

    const me = await system.http('GET', '/api/auth/me', { token: customer.token });
    expect(me.body).to.include({ email: customer.email, name: 'Ada', role: 'customer' });

    const refreshed = await system.http('POST', '/api/auth/refresh', {
      body: { refreshToken: customer.refreshToken },
    });
    expect(refreshed.status).to.equal(200);
    expect(refreshed.body).to.have.keys('success', 'accessToken', 'refreshToken');
    const token = refreshed.body.accessToken as string;

    const placed = await system.http('POST', '/api/orders', {
      token,
      body: {
        items: [
          { productId: product._id, quantity: 2 },
          { productId: product._id, quantity: 1 },
        ],
      },
    });
    expect(placed.status, placed.text).to.equal(201);
    expect(placed.body.message).to.equal('Order placed successfully and sent to queue');
    const { order } = placed.body;
    expect(order).to.include({ status: 'Pending', totalAmount: 90 });
    expect(order._id).to.equal(order.orderId);
    expect(order.items).to.deep.equal([{ productId: product._id, quantity: 3, unitPrice: 30 }]);

    const position = placed.headers.get('x-event-position')!;
    const read = await system.http('GET', `/api/orders/${order._id}`, {
      token,
      headers: { 'x-min-position': position },
    });
    // The answer to the write is the order exactly as the read model and the log hold it.
    expect(read.body).to.deep.equal(order);
    expect(
      (await system.http('GET', `/api/orders/${order._id}?atRevision=0`, { token })).body,
    ).to.deep.equal(order);
    expect(read.headers.get('etag')).to.equal('"0"');

    const listed = await system.http('GET', '/api/orders?status=Pending', {
      token,
      headers: { 'x-min-position': position },
    });
    expect(listed.body.success).to.equal(true);
    expect(listed.body.orders.map((o: { _id: string }) => o._id)).to.deep.equal([order._id]);

    const cancelled = await system.http('DELETE', `/api/orders/${order._id}`, { token });
    expect(cancelled.body).to.deep.equal({
      success: true,
      message: 'Order cancelled successfully',
    });
    const after = await system.http('GET', `/api/orders/${order._id}`, {
      token,
      headers: { 'x-min-position': cancelled.headers.get('x-event-position')! },
    });
    expect(after.body.status).to.equal('Cancelled');

    await system.http('POST', '/api/auth/logout', {
      body: { refreshToken: refreshed.body.refreshToken },
    });
    const reuse = await system.http('POST', '/api/auth/refresh', {
      body: { refreshToken: refreshed.body.refreshToken },
    });
    expect(reuse.status).to.equal(401);
  });

  it('given many orders, when a customer pages through them, then every order appears once, newest first', async () => {
    const { product } = (await addProduct({ name: 'Cup', price: 2.5, stock: 100 })).body;
    const customer = await registerCustomer();
    const placedIds: string[] = [];
    let position = '0';
    for (let i = 0; i < 7; i += 1) {
      const placed = await system.http('POST', '/api/orders', {
        token: customer.token,
        body: { items: [{ productId: product._id, quantity: 1 }] },
      });
      placedIds.push(placed.body.order._id);
      position = placed.headers.get('x-event-position')!;
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<TestSystem['http']>> = await system.http(
        'GET',
        `/api/orders?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        { token: customer.token, headers: { 'x-min-position': position } },
      );
      seen.push(...page.body.orders.map((o: { _id: string }) => o._id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).to.have.members(placedIds);
    expect(seen).to.have.length(7);
  });

  it('given an Idempotency-Key, when the same order is posted twice, then one order exists and both answers name it', async () => {
    const { product } = (await addProduct({ name: 'Spoon', price: 1, stock: 10 })).body;
    const customer = await registerCustomer();
    const key = randomUUID();
    const post = () =>
      system.http('POST', '/api/orders', {
        token: customer.token,
        body: { items: [{ productId: product._id, quantity: 1 }] },
        headers: { 'idempotency-key': key },
      });
    const [first, second] = await Promise.all([post(), post()]);
    expect([first.status, second.status]).to.deep.equal([201, 201]);
    expect(first.body.order._id).to.equal(second.body.order._id);
    const third = await post();
    expect(third.headers.get('idempotent-replayed')).to.equal('true');
    const listed = await system.http('GET', '/api/orders', {
      token: customer.token,
      headers: {
        'x-min-position':
          first.headers.get('x-event-position') ?? second.headers.get('x-event-position')!,
      },
    });
    expect(listed.body.orders).to.have.length(1);
  });
});
