import { DeleteMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { chunks, isStaleReceipt } from './sqsMessages.js';

/** An entry of a batch call that SQS refused; named by its SQS error code, like the SDK's errors. */
export class SqsEntryFailed extends Error {
  constructor(code: string, message?: string) {
    super(message ?? code);
    this.name = code;
  }
}

type PendingAck = { receipt: string; resolve: () => void; reject: (error: unknown) => void };

/**
 * Acknowledgements made in one turn of the event loop leave together, in DeleteMessageBatch calls
 * of up to ten. The processor finishes messages in bursts (one group commit of the event store
 * settles many sagas at once), and an SQS call costs far more than an entry in one: signing,
 * serialising, a round trip. As with DeleteMessage, a receipt that is no longer ours is a no-op.
 */
export const createAckBatcher = (
  client: SQSClient,
  withUrl: <T>(op: (url: string) => Promise<T>) => Promise<T>,
) => {
  let pending: PendingAck[] = [];
  const inFlight = new Set<Promise<void>>();

  const deleteChunk = async (chunk: readonly PendingAck[]) => {
    try {
      const { Failed = [] } = await withUrl((url) =>
        client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: url,
            Entries: chunk.map((ack, i) => ({ Id: `a${i}`, ReceiptHandle: ack.receipt })),
          }),
        ),
      );
      const failed = new Map(
        Failed.map((f) => [f.Id, new SqsEntryFailed(f.Code ?? 'Unknown', f.Message)]),
      );
      for (const [i, ack] of chunk.entries()) {
        const error = failed.get(`a${i}`);
        if (error && !isStaleReceipt(error)) ack.reject(error);
        else ack.resolve();
      }
    } catch (error) {
      for (const ack of chunk) ack.reject(error);
    }
  };

  const flush = () => {
    const batch = pending;
    pending = [];
    for (const chunk of chunks(batch, 10)) {
      const task: Promise<void> = deleteChunk(chunk).finally(() => inFlight.delete(task));
      inFlight.add(task);
    }
  };

  return {
    acknowledge: (receipt: string) =>
      new Promise<void>((resolve, reject) => {
        if (pending.push({ receipt, resolve, reject }) === 1) setImmediate(flush);
      }),
    /** Sends what is waiting and waits for every batch in flight (before the client closes). */
    drain: async () => {
      flush();
      await Promise.allSettled([...inFlight]);
    },
  };
};
