import type { RecordedEvent } from '../application/ports/index.js';

/** An event as auditors and owners read it: the envelope flattened, the actor named. */
export type EventView = {
  position: number;
  eventId: string;
  streamId: string;
  revision: number;
  type: string;
  data: unknown;
  recordedAt: string;
  actor: { userId: string | null; role: string | null };
  correlationId: string | null;
  causationId: string | null;
  requestId: string | null;
  schemaVersion: number | null;
  /** The version the event was stored in, when it was upcast for reading: `data` was never recorded in this shape. */
  upcastFrom: number | null;
};

const text = (value: unknown) => (typeof value === 'string' ? value : null);
const version = (value: unknown) => (typeof value === 'number' ? value : null);

export const toEventView = (event: RecordedEvent): EventView => ({
  position: event.position,
  eventId: event.id,
  streamId: event.streamId,
  revision: event.revision,
  type: event.type,
  data: event.data,
  recordedAt: event.recordedAt.toISOString(),
  actor: { userId: text(event.metadata.userId), role: text(event.metadata.role) },
  correlationId: text(event.metadata.correlationId),
  causationId: text(event.metadata.causationId),
  requestId: text(event.metadata.requestId),
  schemaVersion: version(event.metadata.schemaVersion),
  upcastFrom: version(event.metadata.upcastFrom),
});
