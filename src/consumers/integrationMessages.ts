import { z } from 'zod';
import { canHandle } from '../application/ports/index.js';
import type { OutgoingMessage, Recorded } from '../application/ports/index.js';
import type { OrderCancelled, OrderPlaced } from '../domain/orders/index.js';

/**
 * What crosses the queue: versioned integration messages, not domain events. They name the order
 * and the event that caused them; the processor reads the order's state from the log, so a stale
 * or repeated message can never decide anything by itself.
 */
const common = {
  version: z.literal(1),
  orderId: z.uuid(),
  eventId: z.string().min(1),
  position: z.number().int().nonnegative(),
  correlationId: z.string().min(1),
  occurredAt: z.iso.datetime(),
};

export const orderPlacedV1 = z.strictObject({ type: z.literal('OrderPlaced'), ...common });
/** Cancelling a Processed order gives its stock back: the processor releases it, in order with the placement. */
export const orderCancelledV1 = z.strictObject({ type: z.literal('OrderCancelled'), ...common });
export const integrationMessage = z.discriminatedUnion('type', [orderPlacedV1, orderCancelledV1]);
export type IntegrationMessage = z.infer<typeof integrationMessage>;

type ForwardedEvent = OrderPlaced | OrderCancelled;

export const FORWARDED_EVENT_TYPES = [
  'OrderPlaced',
  'OrderCancelled',
] as const satisfies readonly ForwardedEvent['type'][];

export const isForwarded = canHandle<ForwardedEvent>(FORWARDED_EVENT_TYPES);

export const toIntegrationMessage = (event: Recorded<ForwardedEvent>): OutgoingMessage => {
  const { orderId } = event.data;
  const message: IntegrationMessage = {
    type: event.type,
    version: 1,
    orderId,
    eventId: event.id,
    position: event.position,
    correlationId: event.metadata.correlationId ?? orderId,
    occurredAt: event.recordedAt.toISOString(),
  };
  return {
    id: event.id,
    groupId: orderId,
    body: JSON.stringify(message),
    attributes: { type: `${message.type}V1`, correlationId: message.correlationId },
  };
};

export type ParsedMessage =
  { ok: true; message: IntegrationMessage } | { ok: false; reason: string };

/** A body that is not JSON, or not a message of a known type and version, is refused with the reason. */
export const parseIntegrationMessage = (body: string): ParsedMessage => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  const parsed = integrationMessage.safeParse(json);
  if (parsed.success) return { ok: true, message: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    reason:
      `not a known integration message: ${issue?.path.join('.') || 'body'} ${issue?.message ?? ''}`.trim(),
  };
};
