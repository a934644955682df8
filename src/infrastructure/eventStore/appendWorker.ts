/**
 * The event store's writer thread: it owns one connection to the file and commits the groups of
 * appends the main thread sends it (see startWriterThread). Each commit is an fsync with
 * synchronous=FULL, and a wait for the write lock when other processes write: here they hold up
 * this thread, not the event loop that serves requests and consumes queues.
 */
import { workerData } from 'node:worker_threads';
import { serveWriterThread } from '../threads/writerThread.js';
import { outcomesToWire } from '../threads/wireErrors.js';
import { createAppender, type AppendRequest } from './append.js';
import { openDatabase, type Synchronous } from './schema.js';

const { path, synchronous } = workerData as { path: string; synchronous: Synchronous };
const db = openDatabase(path, synchronous);
const appendGroup = createAppender(db);

serveWriterThread(
  (batch: AppendRequest[]) => outcomesToWire(appendGroup(batch)),
  () => db.close(),
);
