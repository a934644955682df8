import { EventEmitter } from 'node:events';
import { realpathSync } from 'node:fs';
import { createGroupCommitter } from '../threads/groupCommit.js';
import { siblingModule, startWriterThread, type WriterThread } from '../threads/writerThread.js';
import { outcomesFromWire, type WireOutcome } from '../threads/wireErrors.js';
import type { QueueWrite, QueueWriteKind, QueueWriteResult } from './sqliteQueueWrites.js';

const THREAD = siblingModule(import.meta.url, 'queueWorker');

type Writer = {
  committer: ReturnType<typeof createGroupCommitter<QueueWrite, unknown>>;
  /** Emits 'written' when a group that may have made messages visible is committed. */
  written: EventEmitter;
  members: number;
  close(): Promise<void>;
};

/** One writer thread per queue file in this process, shared by every queue name in it. */
const writers = new Map<string, Writer>();

/** Writes after which a long poll in this process may find something new. */
const uncovers = (write: QueueWrite) =>
  write.kind === 'send' ||
  write.kind === 'redrive' ||
  (write.kind === 'release' && write.visibleAt <= Date.now());

const openWriter = (path: string): Writer => {
  let thread: WriterThread<readonly QueueWrite[], WireOutcome<unknown>[]> | undefined;
  const written = new EventEmitter();
  // One listener per open queue on the file; many is normal, not a leak.
  written.setMaxListeners(0);
  const committer = createGroupCommitter<QueueWrite, unknown>(async (writes) => {
    // A thread that died failed only the groups it held: the next group gets a new one.
    if (!thread || thread.failed()) thread = startWriterThread(THREAD, { path }, 'the queue');
    const outcomes = outcomesFromWire(await thread.call(writes));
    if (writes.some(uncovers)) written.emit('written');
    return outcomes;
  });
  return {
    committer,
    written,
    members: 0,
    close: async () => {
      await committer.settled();
      await thread?.close();
    },
  };
};

export type QueueWriterHandle = {
  write<K extends QueueWriteKind>(write: QueueWrite<K>): Promise<QueueWriteResult<K>>;
  /** Calls `wake` whenever a write in this process may have made a message deliverable. */
  onWritten(wake: () => void): void;
  /** The queue leaves the writer; the last one out stops its thread. */
  leave(): Promise<void>;
};

/**
 * Every queue opened on one file in this process writes through one thread, so writes from all of
 * them (the forwarder's sends, the processor's receives and acknowledgements) share group commits,
 * and a send wakes the long polls of every queue on the file at once.
 */
export const joinQueueWriter = (path: string): QueueWriterHandle => {
  const key = realpathSync(path);
  let writer = writers.get(key);
  if (!writer) {
    writer = openWriter(key);
    writers.set(key, writer);
  }
  writer.members += 1;
  const joined = writer;
  const listeners: Array<() => void> = [];
  let left = false;
  return {
    write: <K extends QueueWriteKind>(write: QueueWrite<K>) =>
      joined.committer.submit(write as QueueWrite) as Promise<QueueWriteResult<K>>,
    onWritten: (wake) => {
      listeners.push(wake);
      joined.written.on('written', wake);
    },
    leave: async () => {
      if (left) return;
      left = true;
      for (const wake of listeners) joined.written.off('written', wake);
      if (--joined.members > 0) return;
      writers.delete(key);
      await joined.close();
    },
  };
};
