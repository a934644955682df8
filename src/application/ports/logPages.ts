import type { EventStore, ReadAllOptions, RecordedEvent } from './eventStore.js';

export type LogPagesOptions = Omit<ReadAllOptions, 'maxCount' | 'direction'> & {
  pageSize: number;
  /** Runs before each page is read (a rebuild notes the head there, so a short page covers it). */
  beforeRead?: () => Promise<void>;
};

/**
 * The global log forwards, one page at a time, so memory stays bounded by a page however long the
 * log is. Each page starts after the last event of the one before; a short page is the last.
 * A consumer that has seen enough stops iterating, and no further page is read.
 */
export async function* readAllPages(
  eventStore: EventStore,
  options: LogPagesOptions,
): AsyncGenerator<RecordedEvent[]> {
  const { pageSize, beforeRead, ...filter } = options;
  let after = filter.after;
  for (;;) {
    await beforeRead?.();
    const page = await eventStore.readAll({
      ...filter,
      ...(after === undefined ? {} : { after }),
      maxCount: pageSize,
    });
    yield page;
    if (page.length < pageSize) return;
    after = page.at(-1)!.position;
  }
}
