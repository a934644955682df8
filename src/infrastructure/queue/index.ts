/**
 * Queue adapters. Both pass test/contract/queue.contract.ts; where they differ, callers should
 * code to the weaker of the two:
 * - SQLite (and fauxqs) deliver at most one message per group per receive. AWS SQS FIFO may hand
 *   out several messages of one group in one receive (in order, the group locked until all are
 *   done), so a consumer works through a group's messages in a batch in order, stopping at a failure.
 * - SQS refuses bodies over 256 KiB or with characters outside its allowed set (QueueSendFailed);
 *   SQLite stores anything. Its deduplication window is a fixed 5 minutes; SQLite's is configurable.
 * - AWS may still delete a message acknowledged with an older receipt of it; SQLite never does.
 * - SQS rounds times to whole seconds (waits, visibility, release delays) and long-polls 20 s at a
 *   time; SQLite takes fractions and polls every `pollIntervalMs`.
 * - SQS counts (`depth`, ApproximateReceiveCount) are approximate; SQLite's are exact.
 * - Dead letters that SQS moved by itself carry no reason, count or time: they report the policy
 *   ("exceeded max receive count (N)"), N receives, and the original send time.
 * - listDeadLetters and redrive walk the SQS dead-letter queue by holding messages invisible for a
 *   while, so they see the head of each group only and briefly hide messages from other walkers.
 * - A SendMessageBatch entry that SQS refuses and a retry then accepts lands after the entries
 *   accepted first; a group spread over such a batch can reorder. SQLite sends are atomic.
 */
export { createSqliteQueue, type SqliteQueueOptions } from './sqliteQueue.js';
export { createSqsQueue, type SqsQueueOptions } from './sqsQueue.js';
export { QueueSendFailed, QueueSetupFailed } from './errors.js';
