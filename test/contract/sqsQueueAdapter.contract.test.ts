import { randomUUID } from 'node:crypto';
import { DeleteQueueCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import { startFauxqs } from 'fauxqs';
import type { OutgoingMessage, Queue } from '../../src/application/ports/queue.js';
import { createSqsQueue } from '../../src/infrastructure/queue/index.js';
import { freePort } from '../support/processes.js';
import { requireService } from '../support/services.js';

const region = 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

const message = (): OutgoingMessage => {
  const id = randomUUID();
  return { id, groupId: randomUUID(), body: JSON.stringify({ id }) };
};

/** Receives until `count` messages arrived or the rounds run out, acknowledging each. */
const drain = async (queue: Queue, count: number) => {
  const ids: string[] = [];
  for (let round = 0; round < 10 && ids.length < count; round += 1) {
    for (const m of await queue.receive({ maxMessages: 10, waitSeconds: 1 })) {
      await queue.acknowledge(m);
      ids.push(m.id);
    }
  }
  return ids;
};

/**
 * A queue can vanish under a running adapter: an operator deletes it, or an emulator restarts
 * with its state in memory. With `create`, the adapter meets QueueDoesNotExist by creating the
 * queues again and carrying on; the messages that were in the old queue are gone with it.
 */
describe('SQS queue: recovery from a vanished queue', function () {
  let client: SQSClient;
  const queues: Queue[] = [];

  before(async function () {
    const service = await requireService(this, 'sqs');
    client = new SQSClient({ region, endpoint: service.url, credentials });
  });
  afterEach(async () => {
    for (const queue of queues.splice(0)) await queue.close();
  });
  after(() => client?.destroy());

  const open = (queueName: string, create = true) => {
    const queue = createSqsQueue({
      client,
      region,
      queueName,
      create,
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 5,
    });
    queues.push(queue);
    return queue;
  };
  const deleteBoth = async (queueName: string) => {
    for (const name of [`${queueName}.fifo`, `${queueName}-dlq.fifo`]) {
      const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: name }));
      await client.send(new DeleteQueueCommand({ QueueUrl }));
    }
  };

  it('given both queues deleted, when the adapter sends, then it recreates them and the message is delivered', async () => {
    const queueName = `gone-${randomUUID()}`;
    const queue = open(queueName);
    await queue.ping();
    await deleteBoth(queueName);

    const sent = message();
    await queue.send([sent]);

    expect(await drain(queue, 1)).to.deep.equal([sent.id]);
    expect(await queue.depth()).to.deep.equal({ ready: 0, inFlight: 0, deadLetters: 0 });
    await deleteBoth(queueName);
  });

  it('given a message received from a queue that is then deleted, when it is acknowledged and the adapter receives again, then both succeed on the recreated queue', async () => {
    const queueName = `gone-${randomUUID()}`;
    const queue = open(queueName);
    await queue.send([message()]);
    const [received] = await queue.receive({ maxMessages: 1, waitSeconds: 1 });
    expect(received).to.not.equal(undefined);
    await deleteBoth(queueName);

    await queue.acknowledge(received!);
    expect(await queue.receive({ maxMessages: 10, waitSeconds: 0 })).to.deep.equal([]);
    const sent = message();
    await queue.send([sent]);
    expect(await drain(queue, 1)).to.deep.equal([sent.id]);
    await deleteBoth(queueName);
  });

  it('given create off, when the queue is missing, then the adapter reports it instead of creating it', async () => {
    const queue = open(`never-${randomUUID()}`, false);
    const error = await queue.send([message()]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).name).to.match(/QueueDoesNotExist|NonExistentQueue/);
  });
});

describe('SQS queue: acknowledgements in one turn leave as batches', function () {
  let client: SQSClient;
  before(async function () {
    const service = await requireService(this, 'sqs');
    client = new SQSClient({ region, endpoint: service.url, credentials });
  });
  after(() => client?.destroy());

  it('given 25 messages received, when all are acknowledged at once, with a stale receipt among them, then every one is deleted and none comes back', async function () {
    this.timeout(30_000);
    const queueName = `acks-${randomUUID()}`;
    const queue = createSqsQueue({
      client,
      region,
      queueName,
      create: true,
      visibilityTimeoutSeconds: 1,
      maxReceiveCount: 5,
    });
    try {
      await queue.send(Array.from({ length: 25 }, message));
      const received = [];
      for (let round = 0; round < 10 && received.length < 25; round += 1) {
        received.push(...(await queue.receive({ maxMessages: 10, waitSeconds: 1 })));
      }
      expect(received).to.have.length(25);
      await queue.acknowledge(received[0]!);

      await Promise.all(received.map((m) => queue.acknowledge(m)));

      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await queue.receive({ maxMessages: 10, waitSeconds: 0 })).to.deep.equal([]);
      expect(await queue.depth()).to.deep.equal({ ready: 0, inFlight: 0, deadLetters: 0 });
    } finally {
      await queue.close();
    }
  });
});

describe('SQS queue: an emulator restarted empty on the same port', function () {
  it('given the server stopped and started again with no queues, when the adapter sends and receives, then it recreates the queues and carries on', async function () {
    this.timeout(60_000);
    const port = await freePort();
    let server = await startFauxqs({ port, host: '127.0.0.1', logger: false });
    const queue = createSqsQueue({
      endpoint: `http://127.0.0.1:${port}`,
      region,
      credentials,
      queueName: `restart-${randomUUID()}`,
      create: true,
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 5,
    });
    try {
      const before = message();
      await queue.send([before]);
      expect(await drain(queue, 1)).to.deep.equal([before.id]);

      await server.stop();
      const down = await queue.send([message()]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(down, 'a send while the server is down fails').to.be.instanceOf(Error);
      server = await startFauxqs({ port, host: '127.0.0.1', logger: false });

      const after = message();
      await queue.send([after]);
      expect(await drain(queue, 1)).to.deep.equal([after.id]);
    } finally {
      await queue.close();
      await server.stop();
    }
  });
});
