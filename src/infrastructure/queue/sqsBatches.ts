import { setTimeout as delay } from 'node:timers/promises';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { backoff } from '../../application/backoff.js';
import { QueueSendFailed } from './errors.js';
import { attr, chunks, systemAttributeNames } from './sqsMessages.js';

const sendAttempts = 3;
const maxBatchBytes = 256 * 1024;

const entryBytes = (e: SendMessageBatchRequestEntry) =>
  Buffer.byteLength(e.MessageBody ?? '') +
  Object.entries(e.MessageAttributes ?? {}).reduce(
    (sum, [name, value]) =>
      sum +
      Buffer.byteLength(name) +
      Buffer.byteLength(value.DataType ?? '') +
      Buffer.byteLength(value.StringValue ?? ''),
    0,
  );

/** SQS refuses a whole batch over ten entries or 256 KiB, so batches stop at whichever comes first. */
const sendBatches = (entries: readonly SendMessageBatchRequestEntry[]) => {
  const batches: SendMessageBatchRequestEntry[][] = [];
  let current: SendMessageBatchRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entryBytes(entry);
    if (current.length === 10 || (current.length > 0 && bytes + size > maxBatchBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};

/**
 * SendMessageBatch may refuse some entries while accepting the rest.
 * Batches go one after another so order within a group holds; refused entries are retried,
 * except the caller's own faults, which no retry can fix.
 */
export const sendEntries = async (
  client: SQSClient,
  queueUrl: string,
  entries: readonly SendMessageBatchRequestEntry[],
) => {
  for (const batch of sendBatches(entries)) {
    let pending = batch;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const { Failed = [] } = await client.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }),
      );
      if (Failed.length === 0) break;
      const failedIds = new Set(Failed.map((f) => f.Id));
      pending = pending.filter((e) => failedIds.has(e.Id));
      if (attempt >= sendAttempts || Failed.some((f) => f.SenderFault)) {
        const messageId = (entryId?: string) =>
          pending.find((e) => e.Id === entryId)?.MessageAttributes?.[attr.id]?.StringValue ?? '';
        const failures = Failed.map((f) => ({
          id: messageId(f.Id),
          code: f.Code ?? 'Unknown',
          message: f.Message,
        }));
        throw new QueueSendFailed(
          `SQS refused ${failures.length} message(s) after ${attempt} attempt(s)`,
          failures,
        );
      }
      await delay(backoff(attempt - 1, { base: 100 }));
    }
  }
};

/** Best effort: a handle that fails here was already deleted or has timed out, which is fine. */
export const deleteHandles = async (
  client: SQSClient,
  queueUrl: string,
  handles: readonly string[],
) => {
  for (const chunk of chunks(handles, 10)) {
    await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((ReceiptHandle, i) => ({ Id: `d${i}`, ReceiptHandle })),
      }),
    );
  }
};

const releaseHandles = async (client: SQSClient, queueUrl: string, handles: readonly string[]) => {
  for (const chunk of chunks(handles, 10)) {
    await client.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((ReceiptHandle, i) => ({
          Id: `r${i}`,
          ReceiptHandle,
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
};

/**
 * Walks a queue without consuming it. SQS has no browse: a message becomes visible to the next
 * receive as soon as its visibility lapses, so each one is held (invisible) for `holdSeconds`
 * while the walk goes on, then made visible again. `visit` returns the messages it did not take.
 * Limits: on a FIFO queue a held message locks its group, so the walk sees the head of each group
 * only; walking hides messages from other receivers for a moment; counts are approximate.
 */
export const walkQueue = async (
  client: SQSClient,
  queueUrl: string,
  visit: (messages: Message[]) => Promise<Message[]>,
  { limit = Number.POSITIVE_INFINITY, holdSeconds = 60 } = {},
) => {
  const seen = new Set<string>();
  const held: string[] = [];
  try {
    while (seen.size < limit) {
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, limit - seen.size),
          VisibilityTimeout: holdSeconds,
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: [...systemAttributeNames],
          MessageAttributeNames: ['All'],
        }),
      );
      // A message seen twice means a hold lapsed: the walk has come round, so stop.
      const fresh = Messages.filter((m) => m.MessageId && !seen.has(m.MessageId));
      if (fresh.length === 0) break;
      for (const m of fresh) seen.add(m.MessageId as string);
      const kept = await visit(fresh);
      held.push(...kept.map((m) => m.ReceiptHandle ?? '').filter(Boolean));
    }
  } finally {
    await releaseHandles(client, queueUrl, held);
  }
};
