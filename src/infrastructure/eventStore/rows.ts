import type { EventMetadata, RecordedEvent } from '../../application/ports/eventStore.js';

export type EventRow = {
  position: number;
  id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: number;
};

export const EVENT_COLUMNS = 'position, id, stream_id, revision, type, data, metadata, recorded_at';

export const toRecordedEvent = (row: EventRow): RecordedEvent => ({
  id: row.id,
  type: row.type,
  data: JSON.parse(row.data) as unknown,
  streamId: row.stream_id,
  revision: row.revision,
  position: row.position,
  recordedAt: new Date(row.recorded_at),
  metadata: JSON.parse(row.metadata) as EventMetadata,
});
