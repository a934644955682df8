import type { EventStore } from '../application/ports/index.js';
import { readRange } from './exportEvents.js';
import type { ExportProgress, LogRange } from './exportEvents.js';

export type EventStats = {
  total: number;
  firstPosition: number | null;
  lastPosition: number | null;
  byType: Record<string, number>;
  /** UTC days, `YYYY-MM-DD`. */
  byDay: Record<string, number>;
};

const sortedRecord = (counts: Map<string, number>) =>
  Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const increment = (counts: Map<string, number>, key: string) =>
  counts.set(key, (counts.get(key) ?? 0) + 1);

/** Counts by type and by day over a range of the log: memory grows with types and days, not events. */
export const eventStats = async (
  eventStore: EventStore,
  range: LogRange = {},
  onProgress?: (progress: ExportProgress) => void,
): Promise<EventStats> => {
  const byType = new Map<string, number>();
  const byDay = new Map<string, number>();
  let total = 0;
  let firstPosition: number | null = null;
  let lastPosition: number | null = null;
  for await (const page of readRange(eventStore, range)) {
    for (const event of page.matches) {
      increment(byType, event.type);
      increment(byDay, event.recordedAt.toISOString().slice(0, 10));
      firstPosition ??= event.position;
      lastPosition = event.position;
    }
    total += page.matches.length;
    onProgress?.({ events: total, position: page.scannedTo });
  }
  return {
    total,
    firstPosition,
    lastPosition,
    byType: sortedRecord(byType),
    byDay: sortedRecord(byDay),
  };
};
