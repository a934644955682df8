import {
  START,
  eventTypeFilter,
  type AllStreamResolvedEvent,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import type { SubscribeOptions, Subscription } from '../../application/ports/eventStore.js';
import {
  NON_SYSTEM_TYPES,
  exactTypesRegex,
  matches,
  toEsdbPosition,
  toRecordedEvent,
} from './esdbMapping.js';

/** Events held ahead of the handler before the client stream is paused (then gRPC flow control). */
const HIGH_WATER = 256;
const LOW_WATER = 64;

/**
 * A catch-up subscription to $all, filtered by event type on the server. The server starts after
 * the given position (it reads the event there and begins at the next), so `after` is exclusive.
 *
 * Caught-up: the client emits `caughtUp` when the server's CaughtUp message (EventStoreDB 23.10
 * and later) passes through its stream, which is before the events already buffered ahead of it
 * reach our handler. So the signal is pinned to a count: every event received so far plus those
 * still in the client's buffer come first, and onCaughtUp fires once the handler has done them.
 *
 * The position reported there is the last event received (delivered, or skipped here as a `$`
 * stream event), else `after`. It is always an exact event position, which matters: consumers
 * store it as a checkpoint, and resuming from a position between records would skip an event.
 */
export const startEsdbSubscription = (
  client: EventStoreDBClient,
  options: SubscribeOptions,
): Subscription => {
  const source = client.subscribeToAll({
    fromPosition: options.after === undefined ? START : toEsdbPosition(options.after),
    filter: eventTypeFilter({
      regex: options.types ? exactTypesRegex(options.types) : NON_SYSTEM_TYPES,
    }),
  });
  const queue: AllStreamResolvedEvent[] = [];
  const caughtUpAfter: number[] = [];
  let received = 0;
  let handled = 0;
  let stopped = false;
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;

  const signal = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const onData = (resolved: AllStreamResolvedEvent) => {
    queue.push(resolved);
    received += 1;
    if (queue.length >= HIGH_WATER) source.pause();
    signal();
  };
  const onCaughtUp = () => {
    caughtUpAfter.push(received + source.readableLength);
    signal();
  };
  const onError = (error: unknown) => {
    failure ??= { error };
    signal();
  };
  const onEnd = () => {
    ended = true;
    signal();
  };
  source.on('data', onData);
  source.on('caughtUp', onCaughtUp);
  source.on('error', onError);
  source.on('end', onEnd);

  const run = async () => {
    let cursor = options.after;
    while (!stopped) {
      if (failure) throw failure.error;
      while (caughtUpAfter.length > 0 && (caughtUpAfter[0] ?? 0) <= handled) {
        caughtUpAfter.shift();
        options.onCaughtUp?.(cursor);
      }
      const resolved = queue.shift();
      if (resolved === undefined) {
        if (ended) throw new Error('The EventStoreDB subscription ended without being stopped');
        if (source.isPaused()) source.resume();
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (queue.length <= LOW_WATER && source.isPaused()) source.resume();
      handled += 1;
      const event = toRecordedEvent(resolved);
      cursor = event.position;
      // The server filter is by type only; `$` streams also hold events with ordinary types.
      if (matches(event, { types: options.types })) await options.onEvent(event);
    }
  };

  const release = async () => {
    source.off('data', onData);
    source.off('caughtUp', onCaughtUp);
    source.off('end', onEnd);
    // Stays attached: a late transport error must not become an unhandled 'error' event.
    source.off('error', onError);
    source.on('error', () => undefined);
    // Rejects when the call never started; there is nothing left to cancel then.
    await source.unsubscribe().catch(() => undefined);
    source.destroy();
  };

  const done = run().finally(release);
  // As in the SQLite adapter: an unwatched failure stops this subscription, not the process.
  done.catch(() => undefined);

  return {
    stop: async () => {
      stopped = true;
      signal();
      await done.catch(() => undefined);
    },
    done,
  };
};
