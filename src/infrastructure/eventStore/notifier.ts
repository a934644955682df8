import { EventEmitter } from 'node:events';

type Channel = { emitter: EventEmitter; members: number };

/**
 * Stores opened on the same file in this process share a channel, so a commit through one wakes
 * the subscriptions of all at once; other processes are only seen by polling.
 */
const channels = new Map<string, Channel>();

export type Notifier = {
  /** Tells every subscription on this file that the log grew. */
  notify(): void;
  /** Returns the function that stops listening. */
  listen(onAppended: () => void): () => void;
  /** The store leaves the channel; the last one out removes it. */
  leave(): void;
};

export const joinNotifier = (key: string): Notifier => {
  let channel = channels.get(key);
  if (!channel) {
    const emitter = new EventEmitter();
    // One listener per live subscription; many is normal, not a leak.
    emitter.setMaxListeners(0);
    channel = { emitter, members: 0 };
    channels.set(key, channel);
  }
  channel.members += 1;
  const { emitter } = channel;
  let left = false;
  return {
    notify: () => emitter.emit('appended'),
    listen: (onAppended) => {
      emitter.on('appended', onAppended);
      return () => emitter.off('appended', onAppended);
    },
    leave: () => {
      if (left) return;
      left = true;
      const current = channels.get(key);
      if (current && --current.members === 0) channels.delete(key);
    },
  };
};
