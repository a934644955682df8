import type Database from 'better-sqlite3';
import type { DeadLetterRow, MessageRow } from './sqliteSchema.js';

/** Prepared once per connection; every statement names its queue, so names share the tables. */
export const prepareQueueStatements = (db: Database.Database) => ({
  forgetExpiredIds: db.prepare('DELETE FROM queue_dedup WHERE queue = ? AND expires_at <= ?'),
  rememberId: db.prepare(
    'INSERT OR IGNORE INTO queue_dedup (queue, id, expires_at) VALUES (?, ?, ?)',
  ),
  insert: db.prepare(
    `INSERT INTO queue_messages (queue, id, group_id, body, attributes, visible_at, receive_count)
     VALUES (?, ?, ?, ?, ?, ?, 0)`,
  ),
  // A group's oldest message blocks the rest of the group while it is in flight or delayed:
  // that one rule gives both in-order delivery and at most one in-flight message per group.
  heads: db.prepare<{ queue: string; now: number; limit: number }, MessageRow>(
    `SELECT m.* FROM queue_messages m
     WHERE m.queue = @queue AND m.visible_at <= @now
       AND NOT EXISTS (SELECT 1 FROM queue_messages p
                       WHERE p.queue = @queue AND p.group_id = m.group_id AND p.seq < m.seq)
     ORDER BY m.seq LIMIT @limit`,
  ),
  markInFlight: db.prepare(
    'UPDATE queue_messages SET receipt = ?, visible_at = ?, receive_count = receive_count + 1 WHERE seq = ?',
  ),
  byReceipt: db.prepare<[string, string], MessageRow>(
    'SELECT * FROM queue_messages WHERE queue = ? AND receipt = ?',
  ),
  deleteByReceipt: db.prepare('DELETE FROM queue_messages WHERE queue = ? AND receipt = ?'),
  deleteBySeq: db.prepare('DELETE FROM queue_messages WHERE seq = ?'),
  setVisibleAt: db.prepare(
    'UPDATE queue_messages SET visible_at = ? WHERE queue = ? AND receipt = ?',
  ),
  insertDeadLetter: db.prepare(
    `INSERT INTO queue_dead_letters
       (queue, id, group_id, body, attributes, reason, receive_count, dead_lettered_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  listDeadLetters: db.prepare<[string, number], DeadLetterRow>(
    'SELECT * FROM queue_dead_letters WHERE queue = ? ORDER BY seq LIMIT ?',
  ),
  allDeadLetters: db.prepare<[string], DeadLetterRow>(
    'SELECT * FROM queue_dead_letters WHERE queue = ? ORDER BY seq',
  ),
  namedDeadLetters: db.prepare<[string, string], DeadLetterRow>(
    `SELECT * FROM queue_dead_letters
     WHERE queue = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY seq`,
  ),
  deleteDeadLetter: db.prepare('DELETE FROM queue_dead_letters WHERE seq = ?'),
  counts: db.prepare<
    { queue: string; now: number },
    { ready: number | null; inFlight: number | null }
  >(
    `SELECT SUM(visible_at <= @now) AS ready, SUM(visible_at > @now) AS inFlight
     FROM queue_messages WHERE queue = @queue`,
  ),
  deadLetterCount: db.prepare<[string], { n: number }>(
    'SELECT COUNT(*) AS n FROM queue_dead_letters WHERE queue = ?',
  ),
});
