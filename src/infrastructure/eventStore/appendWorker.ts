/**
 * The event store's writer thread: it owns one connection to the file and commits the groups of
 * appends the main thread sends it (see workerAppender.ts). Each commit is an fsync with
 * synchronous=FULL, and a wait for the write lock when other processes write: here they hold up
 * this thread, not the event loop that serves requests and consumes queues.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createAppender, type AppendRequest } from './append.js';
import { openDatabase, type Synchronous } from './schema.js';
import { toWire, type GroupReply } from './workerAppender.js';

const port = parentPort!;
const { path, synchronous } = workerData as { path: string; synchronous: Synchronous };
const db = openDatabase(path, synchronous);
const appendGroup = createAppender(db);

port.on('message', (message: { id: number; batch: AppendRequest[] } | 'close') => {
  if (message === 'close') {
    db.close();
    port.close();
    return;
  }
  let reply: GroupReply;
  try {
    const results = appendGroup(message.batch).map((result) =>
      'error' in result ? { error: toWire(result.error) } : result,
    );
    reply = { id: message.id, results };
  } catch (error) {
    reply = { id: message.id, failure: toWire(error) };
  }
  port.postMessage(reply);
});
