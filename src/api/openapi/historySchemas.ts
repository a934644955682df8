import { z } from 'zod';
import { orderMailKinds } from '../../application/notifications/index.js';
import { subscriptions } from '../../subscriptions.js';
import { instant, nextCursor, order } from './schemas.js';

/** What the history and operator routes answer: events as auditors read them, and dead letters. */

const ok = z.literal(true);

export const eventView = z.strictObject({
  position: z.int().nonnegative().describe('Global position in the log'),
  eventId: z.string(),
  streamId: z.string(),
  revision: z.int().nonnegative(),
  type: z.string(),
  data: z.unknown().describe('The event in its current schema (older events are upcast)'),
  recordedAt: instant,
  actor: z.strictObject({ userId: z.string().nullable(), role: z.string().nullable() }),
  correlationId: z.string().nullable(),
  causationId: z.string().nullable(),
  requestId: z.string().nullable(),
  schemaVersion: z.int().nullable(),
  upcastFrom: z
    .int()
    .nullable()
    .describe(
      'The version the event was stored in, when it was upcast for reading; null otherwise',
    ),
});

export const timelineEntry = eventView.extend({
  order: order.nullable().describe('The order as it stood after this entry'),
});

export const orderTimeline = z.strictObject({
  success: ok,
  orderId: z.uuid(),
  entries: z.array(timelineEntry),
  nextCursor,
});

export const auditEvents = z.strictObject({ success: ok, events: z.array(eventView), nextCursor });

export const accessLogEntry = z.strictObject({
  _id: z.string(),
  at: instant,
  userId: z.string(),
  role: z.string(),
  action: z.enum(['timeline', 'audit.events']),
  target: z.string().describe('An order stream id, or `$all` for the global log'),
  query: z.record(z.string(), z.unknown()).describe('The parameters of the read, as parsed'),
});

export const accessLog = z.strictObject({
  success: ok,
  entries: z.array(accessLogEntry),
  nextCursor,
});

const letter = {
  id: z.string().describe('What a redrive names'),
  groupId: z.string(),
  reason: z.string(),
  receiveCount: z.int().nonnegative(),
  deadLetteredAt: instant,
};

export const queueDeadLetter = z.strictObject({
  source: z.literal('queue'),
  ...letter,
  body: z.string(),
  attributes: z.record(z.string(), z.string()),
});

export const emailDeadLetter = z.strictObject({
  source: z.literal(subscriptions.notifier.name),
  ...letter,
  kind: z.enum(orderMailKinds),
  eventType: z.string(),
  orderId: z.string(),
  userId: z.string(),
  correlationId: z.string().nullable(),
});

/** An order message the processor gave up on, or an order email the notifier gave up on. */
export const deadLetter = z.discriminatedUnion('source', [queueDeadLetter, emailDeadLetter]);

export const deadLetterList = z.strictObject({
  success: ok,
  deadLetters: z.array(deadLetter).describe('Newest first'),
});
export const redriven = z.strictObject({
  success: ok,
  redriven: z.int().nonnegative().describe('How many messages went back to the queue'),
});
