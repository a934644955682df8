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
      return { nextRevision: current, position: last?.position ?? 0 };
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
    // A fresh append's commit position is its last event's. Servers answer an idempotent retry
    // with NoPosition when they cannot look the earlier one up (and always did before 22.x), so
    // that one is read back.
    const position = result.position
      ? toPortPosition(result.position.commit)
      : await reader.positionAt(streamId, nextRevision);
    return { nextRevision, position };
  };
