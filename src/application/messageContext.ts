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

/**
 * Types whose data changed shape after CURRENT_SCHEMA_VERSION, each at its own version, so that
 * changing one type leaves every other event at the version it was written and read at.
 * OrderFailed 2: the reason is a code with the product, not a sentence.
 */
const TYPE_SCHEMA_VERSIONS: Readonly<Record<string, number>> = { OrderFailed: 2 };

/** The version an event of this type is written at and read up to. */
export const schemaVersionOf = (type: string): number =>
  Object.hasOwn(TYPE_SCHEMA_VERSIONS, type) ? TYPE_SCHEMA_VERSIONS[type]! : CURRENT_SCHEMA_VERSION;

/** The metadata of an event of `type` (its schema version) caused in `context`. */
export const toMetadata = (context: MessageContext, type?: string): EventMetadata => ({
  userId: context.userId,
  ...(context.role ? { role: context.role } : {}),
  correlationId: context.correlationId,
  ...(context.causationId ? { causationId: context.causationId } : {}),
  ...(context.requestId ? { requestId: context.requestId } : {}),
  schemaVersion: type === undefined ? CURRENT_SCHEMA_VERSION : schemaVersionOf(type),
});
