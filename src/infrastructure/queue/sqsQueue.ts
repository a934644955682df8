import {
  ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type SQSClientConfig,
} from '@aws-sdk/client-sqs';
import type { Queue, ReceivedMessage } from '../../application/ports/queue.js';
import { createAckBatcher } from './sqsAcks.js';
import { sendEntries } from './sqsBatches.js';
import { sqsDeadLetters } from './sqsDeadLetters.js';
import {
  hasErrorCode,
  isStaleReceipt,
  systemAttributeNames,
  toEntry,
  toReceived,
} from './sqsMessages.js';
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

type Urls = { url: string; dlqUrl: string };

/** AWS answers QueueDoesNotExist; servers on the query-compatible protocol may say NonExistentQueue. */
const isMissingQueue = (error: unknown) =>
  hasErrorCode(error, 'QueueDoesNotExist', 'NonExistentQueue');

const depthAttributes = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
] as const;

/** The Queue port on an SQS FIFO queue; what it cannot promise is listed in the folder's index.ts. */
export const createSqsQueue = (options: SqsQueueOptions): Queue => {
  const { region, endpoint, credentials, maxReceiveCount } = options;
  // cacheMiddleware: the SDK otherwise rebuilds each command's middleware stack on every call,
  // a large share of a call's CPU; nothing here changes the stack after the first send.
  const client =
    options.client ?? new SQSClient({ region, endpoint, credentials, cacheMiddleware: true });
  let closed = false;

  // Resolved once, eagerly; a failed attempt is forgotten so the next call tries again.
  let urls: Promise<Urls> | undefined;
  const queues = () =>
    (urls ??= resolveSqsQueues(client, options).catch((error: unknown) => {
      urls = undefined;
      throw error;
    }));
  queues().catch(() => undefined);

  /**
   * Runs `op` on the queues' URLs. When a queue has vanished under us (deleted by an operator, or
   * an emulator restarted with empty state), the URLs are resolved again, which with `create`
   * recreates both queues, and `op` is tried once more. Only the caller that saw the old URLs
   * fail forgets them, so concurrent callers share one resolution.
   */
  const onQueues = async <T>(op: (resolved: Urls) => Promise<T>): Promise<T> => {
    const current = queues();
    try {
      return await op(await current);
    } catch (error) {
      if (closed || !isMissingQueue(error)) throw error;
      if (urls === current) urls = undefined;
      return op(await queues());
    }
  };

  const deadLetters = sqsDeadLetters(client, maxReceiveCount);
  const acks = createAckBatcher(client, (op) => onQueues(({ url }) => op(url)));

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
      const entries = messages.map((m, i) => toEntry(m, i));
      await onQueues(({ url }) => sendEntries(client, url, entries));
    },

    async receive({ maxMessages, waitSeconds, visibilityTimeoutSeconds }) {
      const max = Math.max(1, Math.floor(maxMessages));
      const deadline = Date.now() + waitSeconds * 1000;
      const received: ReceivedMessage[] = [];
      const topUp = async (url: string) => {
        while (!closed && received.length < max) {
          const want = Math.min(10, max - received.length);
          // One call long-polls at most 20 s; once something arrived, later calls only top up.
          const remaining = Math.round((deadline - Date.now()) / 1000);
          const wait = received.length > 0 ? 0 : Math.min(20, Math.max(0, remaining));
          const batch = await receiveOnce(url, want, wait, visibilityTimeoutSeconds);
          received.push(...batch);
          if (batch.length < want && (received.length > 0 || deadline - Date.now() < 1000)) break;
        }
      };
      try {
        await onQueues(({ url }) => topUp(url));
      } catch (error) {
        // Messages already received are ours until their visibility lapses: hand them over
        // rather than leave them hidden because a later top-up failed.
        if (!closed && received.length === 0) throw error;
      }
      return received;
    },

    // After the queue was recreated the receipt is stale, which is a no-op like any stale one.
    acknowledge: (message) => acks.acknowledge(message.receipt),

    async release(message, delaySeconds) {
      const VisibilityTimeout = Math.max(0, Math.ceil(delaySeconds));
      await onQueues(({ url }) =>
        client
          .send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: url,
              ReceiptHandle: message.receipt,
              VisibilityTimeout,
            }),
          )
          .then(() => undefined, ignoreStale),
      );
    },

    async deadLetter(message, reason) {
      await onQueues((resolved) => deadLetters.move(resolved, message, reason));
    },

    async listDeadLetters(limit = 100) {
      return onQueues((resolved) => deadLetters.list(resolved, limit));
    },

    async redrive(ids) {
      return onQueues((resolved) => deadLetters.redrive(resolved, ids));
    },

    async depth() {
      const [[ready, notVisible, delayed], dead] = await onQueues(({ url, dlqUrl }) =>
        Promise.all([counts(url), counts(dlqUrl)]),
      );
      return { ready, inFlight: notVisible + delayed, deadLetters: dead[0] + dead[1] + dead[2] };
    },

    async ping() {
      await onQueues(({ url }) =>
        client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] })),
      );
    },

    async close() {
      if (closed) return;
      closed = true;
      await acks.drain();
      if (!options.client) client.destroy();
    },
  };
};
