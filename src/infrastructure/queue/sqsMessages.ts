import { createHash } from 'node:crypto';
import type {
  Message,
  MessageAttributeValue,
  SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';
import type {
  DeadLetter,
  OutgoingMessage,
  ReceivedMessage,
} from '../../application/ports/queue.js';

/**
 * How port messages ride on SQS. SQS assigns its own MessageId, so ours travels in the `id`
 * attribute; caller attributes travel as one JSON attribute because SQS allows only ten per
 * message and restricts their names.
 */
export const attr = {
  id: 'id',
  attributes: 'attributes',
  reason: 'reason',
  receiveCount: 'receiveCount',
  deadLetteredAt: 'deadLetteredAt',
} as const;

export const systemAttributeNames = [
  'ApproximateReceiveCount',
  'MessageGroupId',
  'SentTimestamp',
] as const;

const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

const read = (m: Message, name: string) => m.MessageAttributes?.[name]?.StringValue;

/** SQS caps deduplication ids at 128 characters; longer ones are hashed, keeping them stable. */
export const deduplicationId = (id: string, suffix = '') => {
  const raw = `${id}${suffix}`;
  return raw.length <= 128 ? raw : createHash('sha256').update(raw).digest('hex');
};

export const toEntry = (
  message: OutgoingMessage,
  index: number,
  options: { deduplicationId?: string; extra?: Record<string, string> } = {},
): SendMessageBatchRequestEntry => {
  const attributes: Record<string, MessageAttributeValue> = { [attr.id]: text(message.id) };
  if (message.attributes && Object.keys(message.attributes).length > 0) {
    attributes[attr.attributes] = text(JSON.stringify(message.attributes));
  }
  for (const [key, value] of Object.entries(options.extra ?? {})) attributes[key] = text(value);
  return {
    Id: `m${index}`,
    MessageBody: message.body,
    MessageGroupId: message.groupId,
    MessageDeduplicationId: options.deduplicationId ?? deduplicationId(message.id),
    MessageAttributes: attributes,
  };
};

const callerAttributes = (m: Message): Record<string, string> => {
  const json = read(m, attr.attributes);
  return json ? (JSON.parse(json) as Record<string, string>) : {};
};

/** The port message a received SQS message carries (what a redrive sends back). */
export const toOutgoing = (m: Message): Required<OutgoingMessage> => ({
  id: read(m, attr.id) ?? m.MessageId ?? '',
  groupId: m.Attributes?.MessageGroupId ?? '',
  body: m.Body ?? '',
  attributes: callerAttributes(m),
});

export const toReceived = (m: Message): ReceivedMessage => ({
  ...toOutgoing(m),
  receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1),
  receipt: m.ReceiptHandle ?? '',
});

/**
 * Messages SQS moved itself carry no reason, count or time of their own: report the policy that
 * moved them, and the original send time (SQS keeps it across the move) as the nearest known time.
 */
export const toDeadLetter = (m: Message, maxReceiveCount: number): DeadLetter => ({
  ...toOutgoing(m),
  reason: read(m, attr.reason) ?? `exceeded max receive count (${maxReceiveCount})`,
  receiveCount: Number(read(m, attr.receiveCount) ?? maxReceiveCount),
  deadLetteredAt: new Date(
    Number(read(m, attr.deadLetteredAt) ?? m.Attributes?.SentTimestamp ?? 0),
  ),
});

/**
 * Whether an SQS error has one of these codes. Servers speaking the query-compatible JSON protocol
 * may send the legacy `AWS.SimpleQueueService.` prefix, which the SDK then keeps in the name.
 */
export const hasErrorCode = (error: unknown, ...codes: string[]) =>
  error instanceof Error && codes.includes(error.name.split('.').pop() ?? '');

/** A receipt that is no longer ours (deleted, or received again elsewhere): acting on it is a no-op. */
export const isStaleReceipt = (error: unknown) =>
  hasErrorCode(error, 'MessageNotInflight', 'ReceiptHandleIsInvalid') ||
  // AWS answers an expired handle on ChangeMessageVisibility this way.
  (hasErrorCode(error, 'InvalidParameterValue') &&
    /receipt ?handle/i.test((error as Error).message));

export const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};
