import type { DeadLetter, Queue, ReceiveOptions } from '../../application/ports/queue.js';
import { joinQueueWriter } from './queueWriter.js';
import { openQueueDatabase, parseAttributes, type DeadLetterRow } from './sqliteSchema.js';
import { prepareQueueStatements } from './sqliteStatements.js';
import { createWakeableSleep } from './wakeableSleep.js';

export type SqliteQueueOptions = {
  /** Database file; several processes and queue names may share it. */
  path: string;
  name: string;
  visibilityTimeoutSeconds?: number;
  maxReceiveCount?: number;
  dedupWindowSeconds?: number;
  /** How often a long poll looks for messages sent by other processes. */
  pollIntervalMs?: number;
};

const toDeadLetter = (row: DeadLetterRow): DeadLetter => ({
  id: row.id,
  groupId: row.group_id,
  body: row.body,
  attributes: parseAttributes(row.attributes),
  reason: row.reason,
  receiveCount: row.receive_count,
  deadLetteredAt: new Date(row.dead_lettered_at),
});

/**
 * SQS FIFO semantics on SQLite tables; see sqliteSchema.ts for the layout. This thread only
 * reads (long polls peek, dead letters are listed, depth counted) on a connection of its own;
 * every write goes to the file's writer thread (queueWriter.ts), which commits the writes of one
 * turn together and fsyncs a send there, off the event loop.
 */
export const createSqliteQueue = ({
  path,
  name,
  visibilityTimeoutSeconds = 30,
  maxReceiveCount = 5,
  dedupWindowSeconds = 300,
  pollIntervalMs = 50,
}: SqliteQueueOptions): Queue => {
  if (path === '' || path === ':memory:') {
    throw new RangeError('The SQLite queue needs a file: its writer thread opens it too');
  }
  const db = openQueueDatabase(path);
  const q = prepareQueueStatements(db);
  const writer = joinQueueWriter(path);
  const { sleep, wakeAll } = createWakeableSleep();
  writer.onWritten(wakeAll);
  let closed = false;

  return {
    async send(messages) {
      if (messages.length === 0) return;
      await writer.write({
        kind: 'send',
        queue: name,
        messages,
        dedupWindowMs: dedupWindowSeconds * 1000,
      });
    },

    async receive({
      maxMessages,
      waitSeconds,
      visibilityTimeoutSeconds: override,
    }: ReceiveOptions) {
      const max = Math.max(1, Math.floor(maxMessages));
      const visibilityMs = (override ?? visibilityTimeoutSeconds) * 1000;
      const deadline = Date.now() + waitSeconds * 1000;
      while (!closed) {
        // Peek here before asking the writer, so idle pollers neither queue for the write lock
        // nor keep the writer thread busy.
        if (q.heads.get({ queue: name, now: Date.now(), limit: 1 })) {
          const received = await writer.write({
            kind: 'receive',
            queue: name,
            max,
            visibilityMs,
            maxReceiveCount,
          });
          if (received.length > 0) return received;
        }
        const remaining = deadline - Date.now();
        if (remaining <= 0) break;
        await sleep(Math.min(pollIntervalMs, remaining));
      }
      return [];
    },

    async acknowledge(message) {
      await writer.write({ kind: 'acknowledge', queue: name, receipt: message.receipt });
    },

    async release(message, delaySeconds) {
      const visibleAt = Date.now() + delaySeconds * 1000;
      await writer.write({ kind: 'release', queue: name, receipt: message.receipt, visibleAt });
    },

    async deadLetter(message, reason) {
      await writer.write({ kind: 'deadLetter', queue: name, receipt: message.receipt, reason });
    },

    async listDeadLetters(limit = 100) {
      return q.listDeadLetters.all(name, limit).map(toDeadLetter);
    },

    async redrive(ids) {
      return writer.write({ kind: 'redrive', queue: name, ...(ids ? { ids } : {}) });
    },

    async depth() {
      const { ready, inFlight } = q.counts.get({ queue: name, now: Date.now() }) ?? {
        ready: 0,
        inFlight: 0,
      };
      const deadLetters = q.deadLetterCount.get(name)?.n ?? 0;
      return { ready: ready ?? 0, inFlight: inFlight ?? 0, deadLetters };
    },

    async ping() {
      // Through the writer: every write goes there, so a queue whose writer cannot open the file
      // or take its write lock is not ready, however well this connection reads.
      await writer.write({ kind: 'ping', queue: name });
    },

    async close() {
      if (closed) return;
      closed = true;
      wakeAll();
      await writer.leave();
      db.close();
    },
  };
};
