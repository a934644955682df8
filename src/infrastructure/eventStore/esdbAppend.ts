import { WrongExpectedVersionError, type EventStoreDBClient } from '@eventstore/db-client';
import type {
  AppendResult,
  ExpectedRevision,
  NewEvent,
} from '../../application/ports/eventStore.js';
import {
  NO_STREAM_REVISION,
  assertAppendable,
  concurrencyError,
  fromWrongExpectedVersion,
  holds,
  toEsdbExpectedRevision,
  toEventData,
  toPortPosition,
} from './esdbMapping.js';
import type { EsdbReader } from './esdbReads.js';

/**
 * Optimistic concurrency and idempotency are the server's: for a numbered or `no_stream`
 * expectation it compares the ids already at expected+1.. with the batch and, when they are the
 * same, answers success with that earlier append's last revision and position and writes nothing
 * (a batch that only starts the same way is a WrongExpectedVersion). For `any`/`stream_exists` it
 * only consults a bounded in-memory cache of recent ids, so a late retry may write twice.
 */
export const createEsdbAppender =
  (client: EventStoreDBClient, reader: EsdbReader) =>
  async (
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> => {
    assertAppendable(events, expected);
    if (events.length === 0) {
      // Checked by reading: the server would log an empty record and answer with its position,
      // not the stream's last event's as the port promises.
      const last = await reader.lastEventOf(streamId);
      const current = last?.revision ?? NO_STREAM_REVISION;
      if (!holds(expected, current)) throw concurrencyError(streamId, expected, current);
      // Position 0 for a missing stream sits before every real position, as in SQLite.
      return {
        nextRevision: current,
        position: last?.position ?? 0,
        ...(last ? { recordedAt: last.recordedAt } : {}),
      };
    }
    let result;
    try {
      result = await client.appendToStream(streamId, events.map(toEventData), {
        expectedRevision: toEsdbExpectedRevision(expected),
      });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw fromWrongExpectedVersion(streamId, expected, error);
      }
      throw error;
    }
    const nextRevision = Number(result.nextExpectedRevision);
    // The server stamps `created` itself and its answer does not carry it (nor, for an idempotent
    // retry it cannot look up, the position), so the last event is read back: the port promises
    // both, and one read here spares every writer a branch on what the store can say.
    const last = await reader.eventAt(streamId, nextRevision);
    const position = result.position ? toPortPosition(result.position.commit) : last.position;
    return { nextRevision, position, recordedAt: last.recordedAt };
  };
