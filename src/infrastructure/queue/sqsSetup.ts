import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { QueueSetupFailed } from './errors.js';
import { hasErrorCode } from './sqsMessages.js';

export type SqsQueueNames = { queueName: string; dlqName: string };

export const sqsQueueNames = (queueName: string): SqsQueueNames => ({
  queueName: `${queueName}.fifo`,
  dlqName: `${queueName}-dlq.fifo`,
});

type Setup = {
  queueName: string;
  create: boolean;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
};

const urlOf = async (client: SQSClient, name: string) => {
  const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: name }));
  if (!QueueUrl) throw new QueueSetupFailed(`SQS returned no URL for queue ${name}`);
  return QueueUrl;
};

/** CreateQueue is idempotent only for identical attributes; a changed setting updates the queue. */
const createOrUpdate = async (
  client: SQSClient,
  name: string,
  attributes: Record<string, string>,
) => {
  try {
    const { QueueUrl } = await client.send(
      new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
    );
    if (QueueUrl) return QueueUrl;
  } catch (error) {
    if (!hasErrorCode(error, 'QueueNameExists', 'QueueAlreadyExists')) throw error;
  }
  const url = await urlOf(client, name);
  const { FifoQueue: _immutable, ...settable } = attributes;
  await client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: settable }));
  return url;
};

/** The FIFO queue and its FIFO dead-letter queue, attached by a RedrivePolicy. */
export const resolveSqsQueues = async (client: SQSClient, setup: Setup) => {
  const { queueName, dlqName } = sqsQueueNames(setup.queueName);
  if (!setup.create)
    return { url: await urlOf(client, queueName), dlqUrl: await urlOf(client, dlqName) };

  const dlqUrl = await createOrUpdate(client, dlqName, {
    FifoQueue: 'true',
    // SQS keeps a moved message's original enqueue time, so the DLQ must retain longer than the source.
    MessageRetentionPeriod: '1209600',
  });
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
  );
  if (!Attributes?.QueueArn) throw new QueueSetupFailed(`SQS returned no ARN for queue ${dlqName}`);
  const url = await createOrUpdate(client, queueName, {
    FifoQueue: 'true',
    VisibilityTimeout: String(setup.visibilityTimeoutSeconds),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: Attributes.QueueArn,
      maxReceiveCount: setup.maxReceiveCount,
    }),
  });
  return { url, dlqUrl };
};
