/**
 * The SQLite queue's writer thread: it owns one connection to the queue file and commits the
 * groups of writes the main thread sends it (see queueWriter.ts), so a send's fsync, or a wait for
 * another process's write lock, holds up this thread and not the event loop.
 */
import { workerData } from 'node:worker_threads';
import { serveWriterThread } from '../threads/writerThread.js';
import { outcomesToWire } from '../threads/wireErrors.js';
import { openQueueDatabase } from './sqliteSchema.js';
import { createQueueWriter, type QueueWrite } from './sqliteQueueWrites.js';

const db = openQueueDatabase((workerData as { path: string }).path);
const commitGroup = createQueueWriter(db);

serveWriterThread(
  (writes: QueueWrite[]) => outcomesToWire(commitGroup(writes)),
  () => db.close(),
);
