import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { startServiceProcess } from './support/serviceProcess.js';
import type { ServiceProcess } from './support/serviceProcess.js';

const run = promisify(execFile);

/** One request on its own connection, so a refused connection would show as an error, not hide in a pool. */
const post = (url: string, path: string, token: string, body: unknown) =>
  new Promise<number>((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(`${url}${path}`, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
        authorization: `Bearer ${token}`,
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(payload);
  });

describe('graceful shutdown (a real process)', function () {
  this.timeout(120_000);
  let service: ServiceProcess;

  before(async () => {
    service = await startServiceProcess({ SHUTDOWN_GRACE_MS: '10000', LOG_LEVEL: 'warn' });
  });
  after(() => service?.cleanup());

  it('given 200 requests in flight, when SIGTERM arrives, then each completes or gets 503, and the process exits 0 within the grace period', async () => {
    const cli = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
        env: { ...process.env, ...service.env },
      });
    await cli(
      'users',
      'create',
      '--email',
      'admin@example.com',
      '--password',
      'admin password',
      '--role',
      'admin',
    );
    await cli(
      'users',
      'create',
      '--email',
      'buyer@example.com',
      '--password',
      'buyer password',
      '--role',
      'customer',
    );
    const login = async (email: string, password: string) =>
      (
        (await (
          await fetch(`${service.url}/api/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email, password }),
          })
        ).json()) as { token: string }
      ).token;
    const admin = await login('admin@example.com', 'admin password');
    const buyer = await login('buyer@example.com', 'buyer password');
    const product = (await (
      await fetch(`${service.url}/api/products`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ name: 'Drain test', price: 1, stock: 100_000 }),
      })
    ).json()) as { product: { _id: string } };

    const inFlight = Array.from({ length: 200 }, () =>
      post(service.url, '/api/orders', buyer, {
        items: [{ productId: product.product._id, quantity: 1 }],
      }),
    );
    // Signal as soon as the first answer shows the requests are being served.
    await Promise.race(inFlight);
    service.kill('SIGTERM');

    const settled = await Promise.allSettled(inFlight);
    const errors = settled.flatMap((outcome) =>
      outcome.status === 'rejected' ? [String(outcome.reason)] : [],
    );
    expect(
      errors,
      `requests that got no answer (${errors.length}); service said:\n${service.lines.slice(-15).join('\n')}`,
    ).to.deep.equal([]);
    const statuses = settled.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : 0));
    const unexpected = statuses.filter((status) => status !== 201 && status !== 503);
    expect(unexpected, `statuses other than 201/503: ${unexpected.join(', ')}`).to.deep.equal([]);
    expect(statuses.filter((status) => status === 201).length).to.be.greaterThan(0);

    // The process bounds itself (its grace period); the test's own timeout bounds the wait.
    const { code, signal } = await service.exited;
    expect({ code, signal }).to.deep.equal({ code: 0, signal: null });
    expect(service.lines.join('\n')).not.to.contain('grace period over');
  });
});
