import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { EventStore, RecordedEvent } from '../application/ports/index.js';
import { DEFAULT_PAGE_SIZE, scanLog, seekAfter } from './logScan.js';
import type { LogFilter } from './logScan.js';

export type LogRange = {
  /** Inclusive: the first global position to read. */
  fromPosition?: number;
  since?: Date;
  until?: Date;
  types?: readonly string[];
  pageSize?: number;
};

export type ExportProgress = { events: number; position: number | undefined };

/** One NDJSON line per event: the whole envelope, metadata included, as analysts load it. */
export const toExportRecord = (event: RecordedEvent) => ({
  position: event.position,
  id: event.id,
  streamId: event.streamId,
  revision: event.revision,
  type: event.type,
  recordedAt: event.recordedAt.toISOString(),
  data: event.data,
  metadata: event.metadata,
});

/**
 * Where to start: after `fromPosition - 1`, and past everything recorded well before `since`
 * (a binary search on time, which holds where positions are time-ordered; see CLOCK_SKEW_GRACE_MS).
 */
const startAfter = async (eventStore: EventStore, range: LogRange) => {
  const after =
    range.fromPosition === undefined || range.fromPosition <= 0
      ? undefined
      : range.fromPosition - 1;
  return range.since ? seekAfter(eventStore, range.since, after) : after;
};

const filterOf = ({ since, until, types }: LogRange): LogFilter => ({
  ...(since ? { since } : {}),
  ...(until ? { until } : {}),
  ...(types && types.length > 0 ? { types } : {}),
});

/** Pages of matching events over a range of the log, in position order, one page in memory at a time. */
export async function* readRange(eventStore: EventStore, range: LogRange) {
  const after = await startAfter(eventStore, range);
  yield* scanLog(eventStore, {
    ...(after === undefined ? {} : { after }),
    filter: filterOf(range),
    pageSize: range.pageSize ?? DEFAULT_PAGE_SIZE,
  });
}

/**
 * Writes the range as NDJSON. A page is written as one chunk, and the next page is read only
 * once the output has taken it (`write()` returning false waits for 'drain'), so a slow
 * consumer holds the export back instead of letting it buffer the log in memory.
 */
export const exportEvents = async (
  eventStore: EventStore,
  output: Writable,
  range: LogRange = {},
  onProgress?: (progress: ExportProgress) => void,
): Promise<ExportProgress> => {
  let failure: unknown;
  const onError = (error: unknown) => void (failure ??= error);
  output.on('error', onError);
  const progress: ExportProgress = { events: 0, position: undefined };
  try {
    for await (const page of readRange(eventStore, range)) {
      if (failure) throw failure;
      if (page.matches.length > 0) {
        let chunk = '';
        for (const event of page.matches) chunk += `${JSON.stringify(toExportRecord(event))}\n`;
        if (!output.write(chunk)) await once(output, 'drain');
        progress.events += page.matches.length;
      }
      progress.position = page.scannedTo;
      onProgress?.(progress);
    }
    if (failure) throw failure;
    return progress;
  } finally {
    output.off('error', onError);
  }
};
