import type {
  Actor,
  Clock,
  DocumentStore,
  EventStore,
  RecordedEvent,
} from '../application/ports/index.js';
import { toOrderStreamId } from '../domain/orders/index.js';
import { NotFound } from '../domain/shared/index.js';
import { maySeeOrderOf } from '../application/accounts/access.js';
import { isOrderEvent } from '../projections/orders/index.js';
import type { OrderDocument } from '../projections/orders/index.js';
import { createAccessLog } from './accessLog.js';
import type { AccessLogQuery } from './accessLog.js';
import { foldOrderAt, readOrderStream } from './asOf.js';
import type { PointInHistory } from './asOf.js';
import { queryAuditEvents } from './auditEvents.js';
import type { AuditEventsQuery } from './auditEvents.js';
import { readOrderTimeline } from './timeline.js';
import type { PageRequest, TimelineDeps } from './timeline.js';

export type AuditDeps = {
  /** The upcasting store: histories are shown in the current schema. */
  eventStore: EventStore;
  documents: DocumentStore;
  clock: Clock;
  timelineIndex: TimelineDeps['timelineIndex'];
};

const ownerOf = (events: readonly RecordedEvent[]) => {
  const placed = events[0];
  return placed && isOrderEvent(placed) && placed.type === 'OrderPlaced'
    ? placed.data.userId
    : undefined;
};

/**
 * Owners, admins and auditors read an order's history; to another customer it does not exist,
 * exactly like a missing order. The owner never changes, so the first event decides.
 */
const visible = (actor: Actor, orderId: string, events: readonly RecordedEvent[]) => {
  if (events.length === 0 || !maySeeOrderOf(actor, ownerOf(events))) {
    throw new NotFound(`order ${orderId} not found`);
  }
  return events;
};

/** The histories behind the analysts' and auditors' reads, and the record of who made them. */
export const createAudit = ({ eventStore, documents, clock, timelineIndex }: AuditDeps) => {
  const accessLog = createAccessLog(documents, clock);
  return {
    orderTimeline: async (actor: Actor, orderId: string, page: PageRequest) => {
      const events = visible(actor, orderId, await readOrderStream(eventStore, orderId));
      const timeline = await readOrderTimeline(
        { eventStore, documents, timelineIndex },
        orderId,
        events,
        page,
      );
      await accessLog.record(actor, 'timeline', toOrderStreamId(orderId), page);
      return timeline;
    },

    orderAt: async (actor: Actor, orderId: string, at: PointInHistory): Promise<OrderDocument> => {
      const events = visible(actor, orderId, await readOrderStream(eventStore, orderId, at));
      const doc = foldOrderAt(events, at);
      if (!doc) throw new NotFound(`order ${orderId} did not exist then`);
      return doc;
    },

    /** Who may read the log is the route's to say (auditors and admins); every read is recorded. */
    events: async (actor: Actor, query: AuditEventsQuery) => {
      const page = await queryAuditEvents(eventStore, query);
      await accessLog.record(actor, 'audit.events', '$all', { ...query });
      return page;
    },

    accessLog: (query: AccessLogQuery) => accessLog.list(query),
  };
};

export type Audit = ReturnType<typeof createAudit>;
