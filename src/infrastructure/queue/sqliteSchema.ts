import Database from 'better-sqlite3';

// One table set serves every queue name in the file; `queue` is the first column of each index so
// names never scan each other's rows.
const ddl = `
CREATE TABLE IF NOT EXISTS queue_messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  queue TEXT NOT NULL,
  id TEXT NOT NULL,
  group_id TEXT NOT NULL,
  body TEXT NOT NULL,
  attributes TEXT NOT NULL,
  visible_at INTEGER NOT NULL,
  receipt TEXT,
  receive_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS queue_messages_order ON queue_messages (queue, seq);
CREATE INDEX IF NOT EXISTS queue_messages_group ON queue_messages (queue, group_id, seq);
CREATE UNIQUE INDEX IF NOT EXISTS queue_messages_receipt ON queue_messages (receipt) WHERE receipt IS NOT NULL;

CREATE TABLE IF NOT EXISTS queue_dedup (
  queue TEXT NOT NULL,
  id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (queue, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS queue_dedup_expiry ON queue_dedup (queue, expires_at);

CREATE TABLE IF NOT EXISTS queue_dead_letters (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  queue TEXT NOT NULL,
  id TEXT NOT NULL,
  group_id TEXT NOT NULL,
  body TEXT NOT NULL,
  attributes TEXT NOT NULL,
  reason TEXT NOT NULL,
  receive_count INTEGER NOT NULL,
  dead_lettered_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS queue_dead_letters_order ON queue_dead_letters (queue, seq);
`;

export type MessageRow = {
  seq: number;
  id: string;
  group_id: string;
  body: string;
  attributes: string;
  visible_at: number;
  receipt: string | null;
  receive_count: number;
};

export type DeadLetterRow = Omit<MessageRow, 'visible_at' | 'receipt'> & {
  reason: string;
  dead_lettered_at: number;
};

export const openQueueDatabase = (path: string): Database.Database => {
  const db = new Database(path);
  // Several processes share the file: wait for the writer lock instead of failing with SQLITE_BUSY.
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  // NORMAL still survives a process crash; only an OS crash can undo the last commits, which for
  // receive, acknowledge and dead-letter moves means a redelivery. Sends are the exception: see
  // `durably` below.
  db.pragma('synchronous = NORMAL');
  db.transaction(() => db.exec(ddl)).immediate();
  return db;
};

/**
 * Runs `commit` with a synced WAL. The forwarder saves its checkpoint once send resolves, so an
 * accepted message must survive power loss; syncing the WAL also makes every earlier commit durable.
 */
export const durably = <T>(db: Database.Database, commit: () => T): T => {
  db.pragma('synchronous = FULL');
  try {
    return commit();
  } finally {
    db.pragma('synchronous = NORMAL');
  }
};

export const parseAttributes = (json: string): Record<string, string> =>
  JSON.parse(json) as Record<string, string>;
