import { randomUUID } from 'node:crypto';
import type {
  DeadLetter,
  OutgoingMessage,
  Queue,
  ReceivedMessage,
  ReceiveOptions,
} from '../../application/ports/queue.js';
import { durably, openQueueDatabase, type DeadLetterRow, type MessageRow } from './sqliteSchema.js';
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

const parseAttributes = (json: string): Record<string, string> =>
  JSON.parse(json) as Record<string, string>;

/** SQS FIFO semantics on SQLite tables; see sqliteSchema.ts for the layout. */
export const createSqliteQueue = ({
  path,
  name,
  visibilityTimeoutSeconds = 30,
  maxReceiveCount = 5,
  dedupWindowSeconds = 300,
  pollIntervalMs = 50,
}: SqliteQueueOptions): Queue => {
  const db = openQueueDatabase(path);
  const { sleep, wakeAll } = createWakeableSleep();
  let closed = false;

  const q = prepareQueueStatements(db);

  const moveToDeadLetters = (
    row: MessageRow,
    reason: string,
    receiveCount: number,
    now: number,
  ) => {
    q.insertDeadLetter.run(
      name,
      row.id,
      row.group_id,
      row.body,
      row.attributes,
      reason,
      receiveCount,
      now,
    );
    q.deleteBySeq.run(row.seq);
  };

  const sendAll = db.transaction((messages: readonly OutgoingMessage[]) => {
    const now = Date.now();
    q.forgetExpiredIds.run(name, now);
    for (const m of messages) {
      if (q.rememberId.run(name, m.id, now + dedupWindowSeconds * 1000).changes === 0) continue;
      q.insert.run(name, m.id, m.groupId, m.body, JSON.stringify(m.attributes ?? {}), now);
    }
  });

  const receiveNow = db.transaction((max: number, visibilityMs: number): ReceivedMessage[] => {
    const now = Date.now();
    const received: ReceivedMessage[] = [];
    // Moving an exhausted head to the dead letters uncovers the next message of its group, so
    // look again until the batch is full or nothing more is deliverable.
    for (let movedAny = true; movedAny && received.length < max;) {
      movedAny = false;
      for (const row of q.heads.all({ queue: name, now, limit: max - received.length })) {
        if (row.receive_count >= maxReceiveCount) {
          moveToDeadLetters(
            row,
            `exceeded max receive count (${maxReceiveCount})`,
            row.receive_count,
            now,
          );
          movedAny = true;
          continue;
        }
        const receipt = randomUUID();
        q.markInFlight.run(receipt, now + visibilityMs, row.seq);
        received.push({
          id: row.id,
          groupId: row.group_id,
          body: row.body,
          attributes: parseAttributes(row.attributes),
          receiveCount: row.receive_count + 1,
          receipt,
        });
      }
    }
    return received;
  });

  const deadLetterNow = db.transaction((receipt: string, reason: string) => {
    const row = q.byReceipt.get(name, receipt);
    if (row) moveToDeadLetters(row, reason, row.receive_count, Date.now());
  });

  const redriveNow = db.transaction((ids?: readonly string[]) => {
    const rows = ids
      ? q.namedDeadLetters.all(name, JSON.stringify(ids))
      : q.allDeadLetters.all(name);
    const now = Date.now();
    for (const row of rows) {
      q.insert.run(name, row.id, row.group_id, row.body, row.attributes, now);
      q.deleteDeadLetter.run(row.seq);
    }
    return rows.length;
  });

  const toDeadLetter = (row: DeadLetterRow): DeadLetter => ({
    id: row.id,
    groupId: row.group_id,
    body: row.body,
    attributes: parseAttributes(row.attributes),
    reason: row.reason,
    receiveCount: row.receive_count,
    deadLetteredAt: new Date(row.dead_lettered_at),
  });

  return {
    async send(messages) {
      if (messages.length === 0) return;
      durably(db, () => sendAll.immediate(messages));
      wakeAll();
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
        // Peek before taking the write lock, so idle pollers in many processes do not queue on it.
        if (q.heads.get({ queue: name, now: Date.now(), limit: 1 })) {
          const received = receiveNow.immediate(max, visibilityMs);
          if (received.length > 0) return received;
        }
        const remaining = deadline - Date.now();
        if (remaining <= 0) break;
        await sleep(Math.min(pollIntervalMs, remaining));
      }
      return [];
    },

    async acknowledge(message) {
      q.deleteByReceipt.run(name, message.receipt);
    },

    async release(message, delaySeconds) {
      q.setVisibleAt.run(Date.now() + delaySeconds * 1000, name, message.receipt);
      if (delaySeconds <= 0) wakeAll();
    },

    async deadLetter(message, reason) {
      deadLetterNow.immediate(message.receipt, reason);
    },

    async listDeadLetters(limit = 100) {
      return q.listDeadLetters.all(name, limit).map(toDeadLetter);
    },

    async redrive(ids) {
      const moved = redriveNow.immediate(ids);
      if (moved > 0) wakeAll();
      return moved;
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
      db.prepare('SELECT 1').get();
    },

    async close() {
      if (closed) return;
      closed = true;
      wakeAll();
      db.close();
    },
  };
};
