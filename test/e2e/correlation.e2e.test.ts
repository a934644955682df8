import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { toOrderStreamId } from '../../src/domain/orders/index.js';
import { toProductStreamId } from '../../src/domain/products/index.js';
import { createSqliteEventStore } from '../../src/infrastructure/eventStore/index.js';
import { startServiceProcess } from './support/serviceProcess.js';
import type { ServiceProcess } from './support/serviceProcess.js';

const run = promisify(execFile);

const logLines = (service: ServiceProcess) =>
  service.lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });

describe('tracing by correlation id (a real process)', function () {
  this.timeout(120_000);
  let service: ServiceProcess;

  before(async () => {
    service = await startServiceProcess({ LOG_LEVEL: 'info' });
  });
  after(() => service?.cleanup());

  it('given a request with X-Correlation-Id, then the API, the forwarded message, the processor, the events and the email all carry it', async () => {
    const cli = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
        env: { ...process.env, ...service.env },
      });
    await cli(
      'users',
      'create',
      '--email',
      'ops@example.com',
      '--password',
      'ops password 1',
      '--role',
      'admin',
    );
    await cli(
      'users',
      'create',
      '--email',
      'ada@example.com',
      '--password',
      'ada password 1',
      '--role',
      'customer',
      '--name',
      'Ada',
    );
    const call = async (path: string, body: unknown, headers: Record<string, string> = {}) =>
      (
        await fetch(`${service.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        })
      ).json() as Promise<any>;
    const admin = (
      await call('/api/auth/login', { email: 'ops@example.com', password: 'ops password 1' })
    ).token;
    const ada = (
      await call('/api/auth/login', { email: 'ada@example.com', password: 'ada password 1' })
    ).token;
    const product = (
      await call(
        '/api/products',
        { name: 'Traced', price: 3, stock: 5 },
        { authorization: `Bearer ${admin}` },
      )
    ).product;

    const correlationId = `trace-${Date.now()}`;
    const placed = await call(
      '/api/orders',
      { items: [{ productId: product._id, quantity: 1 }] },
      { authorization: `Bearer ${ada}`, 'x-correlation-id': correlationId },
    );
    const orderId = placed.order._id as string;

    const mailDir = join(service.env.DATA_DIR!, 'mailbox');
    const processedMail = () =>
      (existsSync(mailDir) ? readdirSync(mailDir) : [])
        .map((file) => readFileSync(join(mailDir, file), 'utf8'))
        .find((mail) => mail.includes(orderId) && /has been processed/.test(mail));
    const deadline = Date.now() + 60_000;
    while (!processedMail() && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const mail = processedMail();
    expect(mail, 'the "processed" email').to.be.a('string');
    expect(mail).to.match(new RegExp(`^X-Tag-correlationId: ${correlationId}\\r?$`, 'm'));

    const saw = (predicate: (line: Record<string, unknown>) => boolean) =>
      logLines(service).some((line) => line.correlationId === correlationId && predicate(line));
    // The processor logs once the queue has taken its acknowledgement, which can come after the
    // notifier has already mailed from the OrderProcessed event: give the log a moment.
    const processorLogged = (line: Record<string, unknown>) =>
      line.role === 'processor' && line.outcome === 'processed';
    for (const until = Date.now() + 10_000; !saw(processorLogged) && Date.now() < until;)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(
      saw((line) => line.role === 'api' && line.msg === 'request' && line.path === '/api/orders'),
      'api request',
    ).to.equal(true);
    expect(saw(processorLogged), 'processor').to.equal(true);
    expect(
      saw((line) => line.role === 'notifier'),
      'notifier',
    ).to.equal(true);

    // The events carry it too, so an auditor can follow the chain in the log itself.
    const eventStore = createSqliteEventStore({ path: join(service.env.DATA_DIR!, 'events.db') });
    try {
      const orderEvents = await eventStore.readStream(toOrderStreamId(orderId));
      const stockEvents = (await eventStore.readStream(toProductStreamId(product._id))).filter(
        (event) => event.type === 'StockReserved',
      );
      expect(orderEvents.map((event) => [event.type, event.metadata.correlationId])).to.deep.equal([
        ['OrderPlaced', correlationId],
        ['OrderProcessed', correlationId],
      ]);
      expect(stockEvents.map((event) => event.metadata.correlationId)).to.deep.equal([
        correlationId,
      ]);
      expect(orderEvents[1]!.metadata.causationId).to.equal(orderEvents[0]!.id);
    } finally {
      await eventStore.close();
    }
  });
});
