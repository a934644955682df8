import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { startFauxqs } from 'fauxqs';
import { TOKENS } from '../../src/container.js';
import { freePort } from '../support/processes.js';
import { spawnRoles, waitUntil } from './support/pipelineProcess.js';
import type { RoleProcess } from './support/pipelineProcess.js';
import {
  addProducts,
  expectConsistentOutcome,
  openWorld,
  trackFinals,
} from './support/pipelineWorld.js';
import type { World } from './support/pipelineWorld.js';

type Fauxqs = Awaited<ReturnType<typeof startFauxqs>>;

const OUTAGE_MS = 10_000;
const RUN_LIMIT_MS = 180_000;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * The SQS server goes away for ten seconds while the whole service runs in its own process.
 * fauxqs keeps its state in memory, so it comes back empty: the adapter must recreate the queues
 * and the forwarder resend from its checkpoint everything placed meanwhile.
 */
describe('SQS outage: the server stopped for ten seconds and started again empty', function () {
  this.timeout(RUN_LIMIT_MS + 60_000);
  let port: number;
  let sqs: Fauxqs | undefined;
  let world: World | undefined;
  let service: RoleProcess | undefined;
  let url: string;
  let token: string;

  const startSqs = async () =>
    (sqs = await startFauxqs({ port, host: '127.0.0.1', logger: false }));

  before(async function () {
    port = await freePort();
    await startSqs();
    world = await openWorld(
      {
        QUEUE: 'sqs',
        SQS_ENDPOINT: `http://127.0.0.1:${port}`,
        QUEUE_NAME: `outage-${randomUUID().slice(0, 8)}`,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        QUEUE_VISIBILITY_TIMEOUT_SECONDS: '3',
      },
      [],
    );
    const accounts = await world.system.container.get(TOKENS.accounts);
    const email = `outage-${randomUUID().slice(0, 8)}@example.com`;
    await accounts.createUser({ email, password: 'outage customer password', role: 'customer' });

    const apiPort = await freePort();
    url = `http://127.0.0.1:${apiPort}`;
    const started = (service = spawnRoles(['api', 'projector', 'forwarder', 'processor'], {
      ...world.env,
      PORT: String(apiPort),
    }));
    await waitUntil(
      'the service answers /readyz',
      async () => {
        const exit = started.exit();
        if (exit)
          throw new Error(`the service exited (${JSON.stringify(exit)}):\n${started.output()}`);
        return fetch(`${url}/readyz`).then(
          (r) => r.ok,
          () => false,
        );
      },
      Date.now() + 90_000,
    );
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'outage customer password' }),
    });
    expect(login.status, 'login').to.equal(200);
    token = ((await login.json()) as { token: string }).token;
    await addProducts(world, [1_000_000]);
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed' && service)
      process.stderr.write(`service output (last lines):\n${service.output()}\n`);
  });
  after(async () => {
    await service?.stop();
    await world?.stop();
    await sqs?.stop();
  });

  /** POST /api/orders as the customer; returns the status and the new order's id. */
  const placeOverHttp = async () => {
    const w = world!;
    const items = [{ productId: w.products[0]!.productId, quantity: 1 }];
    const response = await fetch(`${url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ items }),
    });
    await response.arrayBuffer();
    const orderId = response.headers.get('location')?.split('/').pop();
    if (response.status === 201 && orderId) w.orders.set(orderId, items);
    return { status: response.status, orderId };
  };

  it('given orders flowing, when SQS is down for ten seconds, then placement still answers 201, and once it is back every order placed meanwhile reaches a final state', async () => {
    const w = world!;
    const deadline = Date.now() + RUN_LIMIT_MS;
    const finals = trackFinals(w.eventStore);
    const allFinal = (ids: Iterable<string>) => async () => {
      const seen = await finals.refresh();
      return [...ids].every((id) => seen.has(id));
    };

    // Given: the pipeline works, and has drained (what sits in fauxqs dies with it).
    const before: string[] = [];
    for (let i = 0; i < 10; i += 1) before.push((await placeOverHttp()).orderId!);
    await waitUntil('the orders placed before the outage are final', allFinal(before), deadline);

    // When: SQS is down.
    await sqs!.stop();
    const during: Array<{ status: number; orderId?: string }> = [];
    const outageEnds = Date.now() + OUTAGE_MS;
    while (Date.now() < outageEnds) {
      during.push(await placeOverHttp());
      await sleep(200);
    }
    expect(
      during.map((placed) => placed.status).filter((status) => status !== 201),
      'placements answered other than 201 during the outage',
    ).to.deep.equal([]);
    const placedDuring = during.map((placed) => placed.orderId!);
    const finalDuring = [...(await finals.refresh()).keys()].filter((id) =>
      placedDuring.includes(id),
    );
    expect(finalDuring, 'no order can be processed while the queue is away').to.deep.equal([]);

    // Then: it comes back empty, and the backlog drains.
    await startSqs();
    await waitUntil(
      `the ${placedDuring.length} orders placed during the outage are final`,
      allFinal(placedDuring),
      deadline,
      250,
    );
    const after: string[] = [];
    for (let i = 0; i < 5; i += 1) after.push((await placeOverHttp()).orderId!);
    await waitUntil('orders placed after the recovery are final', allFinal(after), deadline);

    const outcome = await expectConsistentOutcome(w);
    expect(outcome.processed).to.equal(w.orders.size);
    process.stdout.write(
      `      ${JSON.stringify({ before: before.length, duringOutage: placedDuring.length, after: after.length, ...outcome })}\n`,
    );
  });
});
