import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type SQSClientConfig,
} from '@aws-sdk/client-sqs';
import type { Queue, ReceivedMessage } from '../../application/ports/queue.js';
import { sendEntries } from './sqsBatches.js';
import { sqsDeadLetters } from './sqsDeadLetters.js';
import { isStaleReceipt, systemAttributeNames, toEntry, toReceived } from './sqsMessages.js';
import { resolveSqsQueues } from './sqsSetup.js';

export type SqsQueueOptions = {
  /** A client to share; when given, close() leaves it open for its owner. */
  client?: SQSClient;
  endpoint?: string;
  region: string;
  credentials?: SQSClientConfig['credentials'];
  /** Base name: the queue is `<queueName>.fifo`, its dead letters `<queueName>-dlq.fifo`. */
  queueName: string;
  /** Create both queues at start (idempotent); otherwise they must exist. */
  create: boolean;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
};

const depthAttributes = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
] as const;

/** The Queue port on an SQS FIFO queue; what it cannot promise is listed in the folder's index.ts. */
export const createSqsQueue = (options: SqsQueueOptions): Queue => {
  const { region, endpoint, credentials, maxReceiveCount } = options;
  const client = options.client ?? new SQSClient({ region, endpoint, credentials });
  let closed = false;

  // Resolved once, eagerly; a failed attempt is forgotten so the next call tries again.
  let urls: Promise<{ url: string; dlqUrl: string }> | undefined;
  const queues = () =>
    (urls ??= resolveSqsQueues(client, options).catch((error: unknown) => {
      urls = undefined;
      throw error;
    }));
  queues().catch(() => undefined);

  const deadLetters = sqsDeadLetters(client, maxReceiveCount);

  const ignoreStale = (error: unknown) => {
    if (!isStaleReceipt(error)) throw error;
  };

  const counts = async (queueUrl: string) => {
    const { Attributes = {} } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...depthAttributes] }),
    );
    return depthAttributes.map((name) => Number(Attributes[name] ?? 0)) as [number, number, number];
  };

  const receiveOnce = async (
    url: string,
    max: number,
    waitSeconds: number,
    visibility?: number,
  ) => {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: waitSeconds,
        VisibilityTimeout: visibility === undefined ? undefined : Math.ceil(visibility),
        MessageSystemAttributeNames: [...systemAttributeNames],
        MessageAttributeNames: ['All'],
      }),
    );
    return Messages.map(toReceived);
  };

  return {
    async send(messages) {
      if (messages.length === 0) return;
      const { url } = await queues();
      await sendEntries(
        client,
        url,
        messages.map((m, i) => toEntry(m, i)),
      );
    },

    async receive({ maxMessages, waitSeconds, visibilityTimeoutSeconds }) {
      const { url } = await queues();
      const max = Math.max(1, Math.floor(maxMessages));
      const deadline = Date.now() + waitSeconds * 1000;
      const received: ReceivedMessage[] = [];
      try {
        while (!closed && received.length < max) {
          const want = Math.min(10, max - received.length);
          // One call long-polls at most 20 s; once something arrived, later calls only top up.
          const remaining = Math.round((deadline - Date.now()) / 1000);
          const wait = received.length > 0 ? 0 : Math.min(20, Math.max(0, remaining));
          const batch = await receiveOnce(url, want, wait, visibilityTimeoutSeconds);
          received.push(...batch);
          if (batch.length < want && (received.length > 0 || deadline - Date.now() < 1000)) break;
        }
      } catch (error) {
        if (!closed) throw error;
      }
      return received;
    },

    async acknowledge(message) {
      const { url } = await queues();
      await client
        .send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.receipt }))
        .catch(ignoreStale);
    },

    async release(message, delaySeconds) {
      const { url } = await queues();
      const VisibilityTimeout = Math.max(0, Math.ceil(delaySeconds));
      await client
        .send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: url,
            ReceiptHandle: message.receipt,
            VisibilityTimeout,
          }),
        )
        .catch(ignoreStale);
    },

    async deadLetter(message, reason) {
      await deadLetters.move(await queues(), message, reason);
    },

    async listDeadLetters(limit = 100) {
      return deadLetters.list(await queues(), limit);
    },

    async redrive(ids) {
      return deadLetters.redrive(await queues(), ids);
    },

    async depth() {
      const { url, dlqUrl } = await queues();
      const [[ready, notVisible, delayed], dead] = await Promise.all([counts(url), counts(dlqUrl)]);
      return { ready, inFlight: notVisible + delayed, deadLetters: dead[0] + dead[1] + dead[2] };
    },

    async ping() {
      const { url } = await queues();
      await client.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
      );
    },

    async close() {
      if (closed) return;
      closed = true;
      if (!options.client) client.destroy();
    },
  };
};
