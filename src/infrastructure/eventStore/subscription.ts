import type {
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../../application/ports/eventStore.js';
import type { PageQuery } from './reads.js';

export const CATCH_UP_PAGE_SIZE = 500;

export type SubscriptionSource = {
  readPage(query: PageQuery): RecordedEvent[];
  headPosition(): number | undefined;
  /** Returns the function that stops listening. */
  listen(onAppended: () => void): () => void;
  pollIntervalMs: number;
};

const later = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.max(a, b);

/**
 * One loop per subscription: read a page, hand its events over one at a time, and when a page
 * comes back short, sleep until this process appends (notifier) or the poll timer fires
 * (another process may have appended). Each page is bounded by the head read just before it,
 * so `cursor` can jump over events the type filter skipped and polls stay cheap.
 */
export const startSubscription = (
  source: SubscriptionSource,
  options: SubscribeOptions,
): Subscription => {
  let stopped = false;
  let pending = false;
  let wake: (() => void) | undefined;

  const signal = () => {
    pending = true;
    wake?.();
  };
  const unlisten = source.listen(signal);

  const sleep = () =>
    new Promise<void>((resolve) => {
      if (pending || stopped) return resolve();
      const finish = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      const timer = setTimeout(finish, source.pollIntervalMs);
      wake = finish;
    });

  const run = async () => {
    // Every event at or before `cursor` was delivered or filtered out.
    let cursor = options.after;
    let behind = true;
    while (!stopped) {
      // Cleared before reading: an append from here on makes the next sleep return at once.
      pending = false;
      const head = source.headPosition();
      if (head !== undefined && (cursor === undefined || head > cursor)) {
        const page = source.readPage({
          backwards: false,
          after: cursor,
          until: head,
          types: options.types,
          limit: CATCH_UP_PAGE_SIZE,
        });
        for (const event of page) {
          if (stopped) return;
          await options.onEvent(event);
          cursor = event.position;
        }
        if (page.length === CATCH_UP_PAGE_SIZE) {
          behind = true;
          continue;
        }
        cursor = later(cursor, head);
      }
      if (stopped) return;
      if (behind) {
        behind = false;
        options.onCaughtUp?.(cursor);
      }
      await sleep();
    }
  };

  const done = run().finally(unlisten);
  // Consumers are told to watch `done`; one that does not should see its subscription stop,
  // not have an unhandled rejection take down every other role in the process.
  done.catch(() => undefined);

  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await done.catch(() => undefined);
    },
    done,
  };
};
