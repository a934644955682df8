import Database from 'better-sqlite3';

export type Synchronous = 'NORMAL' | 'FULL';

/**
 * Roles run as separate processes on one file, and BEGIN IMMEDIATE makes a writer wait for the
 * lock instead of failing; this bounds that wait. better-sqlite3 waits synchronously, so a
 * contended append blocks this process's event loop for at most this long.
 */
const BUSY_TIMEOUT_MS = 5000;

// AUTOINCREMENT: positions strictly increase and are never reused, even after the newest rows
// were deleted by hand; without it SQLite may hand out max(rowid) + 1 again.
// STRICT: a wrong type is an error at the boundary rather than a surprise on read.
const schema = `
CREATE TABLE IF NOT EXISTS events (
  position INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  stream_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  metadata TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  UNIQUE (stream_id, revision)
) STRICT;
CREATE INDEX IF NOT EXISTS events_type ON events (type);
`;

export const openDatabase = (path: string, synchronous: Synchronous): Database.Database => {
  const db = new Database(path);
  try {
    // busy_timeout first: the statements after it may meet another process's lock.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    // Immediate, so two processes creating the schema at once queue instead of racing.
    db.transaction(() => db.exec(schema)).immediate();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};
