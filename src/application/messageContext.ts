import type { EventMetadata } from './ports/index.js';

/** Who and what caused a command: flows into every event's metadata. */
export type MessageContext = {
  userId: string;
  role?: string;
  correlationId: string;
  causationId?: string;
  requestId?: string;
};

export const CURRENT_SCHEMA_VERSION = 1;

export const toMetadata = (context: MessageContext): EventMetadata => ({
  userId: context.userId,
  ...(context.role ? { role: context.role } : {}),
  correlationId: context.correlationId,
  ...(context.causationId ? { causationId: context.causationId } : {}),
  ...(context.requestId ? { requestId: context.requestId } : {}),
  schemaVersion: CURRENT_SCHEMA_VERSION,
});
