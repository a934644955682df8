import { expect } from 'chai';
import { startTestSystem } from '../support/testSystem.js';
import type { TestSystem } from '../support/testSystem.js';
import { addProduct, signUp } from './support.js';

describe('operations endpoints', function () {
  this.timeout(60_000);
  let system: TestSystem;

  before(async () => {
    system = await startTestSystem();
  });
  after(() => system?.stop());

  it('given traffic, then /metrics exposes HTTP latency by route, orders by status, subscription lag and queue depth', async () => {
    const admin = await signUp(system, 'admin');
    const customer = await signUp(system);
    const product = await addProduct(system, admin.token);
    const placed = await system.http('POST', '/api/orders', {
      token: customer.token,
      body: { items: [{ productId: product._id, quantity: 1 }] },
    });
    await system.http('GET', `/api/orders/${placed.body.order._id}`, {
      token: customer.token,
      headers: { 'x-min-position': placed.headers.get('x-event-position')! },
    });
    await system.http('GET', '/api/no-such-route');

    const metrics = await system.http('GET', '/metrics');
    expect(metrics.status).to.equal(200);
    expect(metrics.headers.get('content-type')).to.match(/^text\/plain/);
    const text = metrics.text;
    expect(text).to.match(
      /order_ledger_http_request_duration_seconds_count\{method="POST",route="\/api\/orders",status="201"\} 1/,
    );
    expect(text).to.match(
      /order_ledger_http_request_duration_seconds_count\{method="GET",route="\/api\/orders\/:id",status="200"\} 1/,
    );
    expect(text).to.match(/route="unmatched",status="404"/);
    expect(text).to.match(/order_ledger_orders\{status="(Pending|Processed)"\} 1/);
    expect(text).to.match(
      /order_ledger_subscription_lag_events\{subscription="projections.orders"\} \d+/,
    );
    expect(text).to.match(/order_ledger_queue_messages\{state="dead_letters"\} 0/);
    expect(text).to.match(/order_ledger_process_resident_memory_bytes \d+/);
  });

  it('given every dependency up, then /readyz reports each of them', async () => {
    const ready = await system.http('GET', '/readyz');
    expect(ready.status).to.equal(200);
    expect(ready.body.status).to.equal('ready');
    expect(ready.body.checks).to.include({ eventStore: 'ok', documents: 'ok', queue: 'ok' });
    expect(['ok', 'degraded']).to.include(ready.body.checks.cache);
    expect((await system.http('GET', '/healthz')).body).to.deep.equal({ status: 'ok' });
  });
});
