import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeadLetter, ReceivedMessage } from '../../application/ports/queue.js';
import { deleteHandles, sendEntries, walkQueue } from './sqsBatches.js';
import {
  deduplicationId,
  isStaleReceipt,
  toDeadLetter,
  toEntry,
  toOutgoing,
} from './sqsMessages.js';

/** Long enough to finish a dead-letter move before SQS would hand the message out again. */
const moveHoldSeconds = 60;

const ignoreStale = (error: unknown) => {
  if (!isStaleReceipt(error)) throw error;
};

type Urls = { url: string; dlqUrl: string };

/** Dead-letter operations on the `-dlq.fifo` queue that the RedrivePolicy also feeds. */
export const sqsDeadLetters = (client: SQSClient, maxReceiveCount: number) => ({
  async move({ url, dlqUrl }: Urls, message: ReceivedMessage, reason: string) {
    // Holding it first proves the receipt is still ours, and keeps it from being redelivered
    // while it moves; a stale receipt means someone else owns the message now.
    try {
      await client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: url,
          ReceiptHandle: message.receipt,
          VisibilityTimeout: moveHoldSeconds,
        }),
      );
    } catch (error) {
      ignoreStale(error);
      return;
    }
    const now = Date.now();
    const extra = {
      reason: reason || '(no reason given)',
      receiveCount: String(message.receiveCount),
      deadLetteredAt: String(now),
    };
    // A fresh deduplication id: the same message may be dead-lettered again after a redrive.
    const dedup = deduplicationId(message.id, `:dead:${now}`);
    await sendEntries(client, dlqUrl, [toEntry(message, 0, { deduplicationId: dedup, extra })]);
    await client
      .send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.receipt }))
      .catch(ignoreStale);
  },

  async list({ dlqUrl }: Urls, limit: number) {
    const found: DeadLetter[] = [];
    const collect = async (batch: Message[]) => {
      found.push(...batch.map((m) => toDeadLetter(m, maxReceiveCount)));
      return batch;
    };
    await walkQueue(client, dlqUrl, collect, { limit });
    return found;
  },

  async redrive({ url, dlqUrl }: Urls, ids?: readonly string[]) {
    const wanted = ids && new Set(ids);
    let moved = 0;
    await walkQueue(client, dlqUrl, async (batch) => {
      const take = batch.filter((m) => !wanted || wanted.has(toOutgoing(m).id));
      if (take.length === 0) return batch;
      const now = Date.now();
      // The original id is still inside the 5-minute deduplication window: SQS would drop it.
      const entries = take.map((m, i) => {
        const message = toOutgoing(m);
        const dedup = deduplicationId(message.id, `:redrive:${now}:${i}`);
        return toEntry(message, i, { deduplicationId: dedup });
      });
      await sendEntries(client, url, entries);
      await deleteHandles(
        client,
        dlqUrl,
        take.map((m) => m.ReceiptHandle ?? ''),
      );
      moved += take.length;
      return batch.filter((m) => !take.includes(m));
    });
    return moved;
  },
});
