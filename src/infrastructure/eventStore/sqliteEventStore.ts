import { randomUUID } from 'node:crypto';
import { realpathSync } from 'node:fs';
import type { EventStore, Subscription } from '../../application/ports/eventStore.js';
import { createGroupCommitter } from '../threads/groupCommit.js';
import { siblingModule, startWriterThread, type WriterThread } from '../threads/writerThread.js';
import { outcomesFromWire, type WireOutcome } from '../threads/wireErrors.js';
import {
  createAppender,
  type AppendOutcome,
  type AppendRequest,
  type GroupResult,
} from './append.js';
import { joinNotifier } from './notifier.js';
import { createReader } from './reads.js';
import { openDatabase, type Synchronous } from './schema.js';
import { startSubscription, type SubscriptionSource } from './subscription.js';

export type SqliteEventStoreOptions = {
  /** The database file; `:memory:` gives a private log that no other store can see. */
  path: string;
  /** Default FULL; see DEFAULT_SYNCHRONOUS. */
  synchronous?: Synchronous;
  /** How often a caught-up subscription looks for appends made by other processes. */
  pollIntervalMs?: number;
};

/**
 * FULL fsyncs the WAL on every commit. WAL with NORMAL survives a process crash (SIGKILL) but
 * may lose the last commits on power loss or an OS crash, and here that loss is worse than it
 * looks: AUTOINCREMENT's counter rolls back with them, so the lost positions are handed out
 * again to new events, while consumers have already stored checkpoints past them in other
 * files (documents, queue) and would silently skip the new events. A lost commit may also have
 * been acknowledged to a client, or forwarded to the queue. So the default keeps the guarantee
 * (positions never reused, an acknowledged append is durable) and pays an fsync per append;
 * NORMAL is for throwaway data and benchmarks. Production runs EventStoreDB, not this.
 */
export const DEFAULT_SYNCHRONOUS: Synchronous = 'FULL';
const DEFAULT_POLL_INTERVAL_MS = 100;

const isPrivate = (path: string) => path === '' || path === ':memory:';
const WRITER = siblingModule(import.meta.url, 'appendWorker');

/**
 * Better-sqlite3 is synchronous; the port's promises are kept so that callers are written for
 * the networked EventStoreDB adapter too, and so that errors arrive as rejections, not throws.
 */
export const createSqliteEventStore = (options: SqliteEventStoreOptions): EventStore => {
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  if (!(Number.isFinite(pollIntervalMs) && pollIntervalMs > 0)) {
    throw new RangeError(`pollIntervalMs must be a positive number, got ${pollIntervalMs}`);
  }
  const synchronous = options.synchronous ?? DEFAULT_SYNCHRONOUS;
  const privateLog = isPrivate(options.path);
  const db = openDatabase(options.path, synchronous);
  // The real path, so that two spellings of one file share a channel.
  const notifier = joinNotifier(privateLog ? `memory:${randomUUID()}` : realpathSync(options.path));
  // A group of appends is committed on a writer thread (started by the first such group; a store
  // that only reads needs none), so the fsync never blocks the event loop while others wait. A
  // lone append commits here: with nothing else waiting, the round trip to the thread would only
  // add its latency. A private in-memory log cannot be shared with another thread at all.
  const inThread = createAppender(db);
  let writer: WriterThread<readonly AppendRequest[], WireOutcome<AppendOutcome>[]> | undefined;
  const toWriter = async (batch: readonly AppendRequest[]): Promise<GroupResult[]> => {
    // A thread that died failed only the groups it held: the next group gets a new one.
    if (!writer || writer.failed()) {
      writer = startWriterThread(WRITER, { path: options.path, synchronous }, 'the event store');
    }
    return outcomesFromWire(await writer.call(batch));
  };
  const appendGroup = (batch: readonly AppendRequest[]) =>
    privateLog || batch.length === 1 ? inThread(batch) : toWriter(batch);
  const committer = createGroupCommitter(appendGroup, (outcomes) => {
    if (outcomes.some((outcome) => outcome.written)) notifier.notify();
  });
  const reader = createReader(db);
  const source: SubscriptionSource = {
    readPage: reader.readPage,
    headPosition: reader.headPosition,
    listen: notifier.listen,
    pollIntervalMs,
  };
  const subscriptions = new Set<Subscription>();
  let closed = false;

  return {
    append: async (streamId, events, expectedRevision) =>
      (await committer.submit({ streamId, events, expected: expectedRevision })).result,
    readStream: async (streamId, readOptions) => reader.readStream(streamId, readOptions),
    readAll: async (readOptions) => reader.readAll(readOptions),
    headPosition: async () => reader.headPosition(),
    subscribe: (subscribeOptions) => {
      if (closed) throw new Error('The event store is closed');
      const subscription = startSubscription(source, subscribeOptions);
      subscriptions.add(subscription);
      subscription.done.then(
        () => subscriptions.delete(subscription),
        () => subscriptions.delete(subscription),
      );
      return subscription;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((subscription) => subscription.stop()));
      await committer.settled();
      await writer?.close();
      notifier.leave();
      db.close();
    },
  };
};
