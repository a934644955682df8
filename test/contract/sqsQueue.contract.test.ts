import { randomUUID } from 'node:crypto';
import { DeleteQueueCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createSqsQueue } from '../../src/infrastructure/queue/index.js';
import { requireService } from '../support/services.js';
import { queueContract } from './queue.contract.js';

const region = 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('SQS queue', function () {
  let client: SQSClient;

  before(async function () {
    const service = await requireService(this, 'sqs');
    client = new SQSClient({ region, endpoint: service.url, credentials });
  });
  after(() => client?.destroy());

  const deleteQueue = async (name: string) => {
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: name }));
    await client.send(new DeleteQueueCommand({ QueueUrl }));
  };

  queueContract('SQS', async ({ visibilityTimeoutSeconds, maxReceiveCount }) => {
    const queueName = `q-${randomUUID()}`;
    const queue = createSqsQueue({
      client,
      region,
      queueName,
      create: true,
      visibilityTimeoutSeconds,
      maxReceiveCount,
    });
    await queue.ping();
    return {
      queue,
      cleanup: async () => {
        await queue.close();
        await deleteQueue(`${queueName}.fifo`);
        await deleteQueue(`${queueName}-dlq.fifo`);
      },
    };
  });
});
