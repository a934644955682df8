import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { OutgoingMessage, ReceivedMessage } from '../../application/ports/queue.js';
import type { Outcome } from '../threads/wireErrors.js';
import { durably, parseAttributes, type MessageRow } from './sqliteSchema.js';
import { prepareQueueStatements } from './sqliteStatements.js';

/** Every write the SQLite queue makes, with what it answers. Each names its queue. */
type Writes = {
  send: { args: { messages: readonly OutgoingMessage[]; dedupWindowMs: number }; result: void };
  receive: {
    args: { max: number; visibilityMs: number; maxReceiveCount: number };
    result: ReceivedMessage[];
  };
  acknowledge: { args: { receipt: string }; result: void };
  release: { args: { receipt: string; visibleAt: number }; result: void };
  deadLetter: { args: { receipt: string; reason: string }; result: void };
  redrive: { args: { ids?: readonly string[] }; result: number };
  /** Writes nothing: answering it shows the writer is up and holds the file's write lock. */
  ping: { args: object; result: void };
};

export type QueueWriteKind = keyof Writes;
export type QueueWrite<K extends QueueWriteKind = QueueWriteKind> = {
  [Kind in K]: { kind: Kind; queue: string } & Writes[Kind]['args'];
}[K];
export type QueueWriteResult<K extends QueueWriteKind> = Writes[K]['result'];

/**
 * The queue's writes on one connection (its writer thread's). A group of them shares one
 * IMMEDIATE transaction, each in a savepoint of its own so one failure undoes only itself, and
 * one commit: synced (an fsync) when the group holds a send, since the forwarder moves its
 * checkpoint once a send resolves; the other writes only cost a redelivery if an OS crash undoes
 * them.
 */
export const createQueueWriter = (db: Database.Database) => {
  const q = prepareQueueStatements(db);

  const moveToDeadLetters = (
    queue: string,
    row: MessageRow,
    reason: string,
    receiveCount: number,
    now: number,
  ) => {
    q.insertDeadLetter.run(
      queue,
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

  const send = db.transaction(({ queue, messages, dedupWindowMs }: QueueWrite<'send'>) => {
    const now = Date.now();
    q.forgetExpiredIds.run(queue, now);
    for (const m of messages) {
      if (q.rememberId.run(queue, m.id, now + dedupWindowMs).changes === 0) continue;
      q.insert.run(queue, m.id, m.groupId, m.body, JSON.stringify(m.attributes ?? {}), now);
    }
  });

  const receive = db.transaction(
    ({ queue, max, visibilityMs, maxReceiveCount }: QueueWrite<'receive'>): ReceivedMessage[] => {
      const now = Date.now();
      const received: ReceivedMessage[] = [];
      // Moving an exhausted head to the dead letters uncovers the next message of its group, so
      // look again until the batch is full or nothing more is deliverable.
      for (let movedAny = true; movedAny && received.length < max;) {
        movedAny = false;
        for (const row of q.heads.all({ queue, now, limit: max - received.length })) {
          if (row.receive_count >= maxReceiveCount) {
            const reason = `exceeded max receive count (${maxReceiveCount})`;
            moveToDeadLetters(queue, row, reason, row.receive_count, now);
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
    },
  );

  const deadLetter = db.transaction(({ queue, receipt, reason }: QueueWrite<'deadLetter'>) => {
    const row = q.byReceipt.get(queue, receipt);
    if (row) moveToDeadLetters(queue, row, reason, row.receive_count, Date.now());
  });

  const redrive = db.transaction(({ queue, ids }: QueueWrite<'redrive'>) => {
    const rows = ids
      ? q.namedDeadLetters.all(queue, JSON.stringify(ids))
      : q.allDeadLetters.all(queue);
    const now = Date.now();
    for (const row of rows) {
      q.insert.run(queue, row.id, row.group_id, row.body, row.attributes, now);
      q.deleteDeadLetter.run(row.seq);
    }
    return rows.length;
  });

  const apply = (write: QueueWrite): unknown => {
    switch (write.kind) {
      case 'send':
        return send(write);
      case 'receive':
        return receive(write);
      case 'acknowledge':
        return void q.deleteByReceipt.run(write.queue, write.receipt);
      case 'release':
        return void q.setVisibleAt.run(write.visibleAt, write.queue, write.receipt);
      case 'deadLetter':
        return deadLetter(write);
      case 'redrive':
        return redrive(write);
      case 'ping':
        return undefined;
    }
  };

  const group = db.transaction((writes: readonly QueueWrite[]) =>
    writes.map((write): Outcome<unknown> => {
      try {
        return { outcome: apply(write) };
      } catch (error) {
        return { error };
      }
    }),
  );

  return (writes: readonly QueueWrite[]): Outcome<unknown>[] =>
    writes.some((write) => write.kind === 'send')
      ? durably(db, () => group.immediate(writes))
      : group.immediate(writes);
};
