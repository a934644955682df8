import type { Clock, DeadLetter, DocumentStore, Queue } from '../application/ports/index.js';
import { listEmailDeadLetters, redriveEmailDeadLetters } from './notifier/index.js';
import type { EmailDeadLetter } from './notifier/index.js';

export type AnyDeadLetter = (DeadLetter & { source: 'queue' }) | EmailDeadLetter;

/** Everything the service gave up on, in one place: order messages and emails. */
export type DeadLetters = {
  list(limit: number): Promise<AnyDeadLetter[]>;
  /** Puts back those named (or all); each source redrives only the ids it knows. */
  redrive(ids?: readonly string[]): Promise<number>;
};

export type DeadLettersDeps = {
  queue: Queue;
  documents: DocumentStore;
  clock: Clock;
  /** The notifier's subscription name, which labels the emails it gave up on. */
  emailSource: string;
};

export const createDeadLetters = ({
  queue,
  documents,
  clock,
  emailSource,
}: DeadLettersDeps): DeadLetters => ({
  list: async (limit) => {
    const [messages, emails] = await Promise.all([
      queue.listDeadLetters(limit),
      listEmailDeadLetters(documents, emailSource, limit),
    ]);
    return [...messages.map((letter) => ({ ...letter, source: 'queue' as const })), ...emails]
      .sort((a, b) => b.deadLetteredAt.getTime() - a.deadLetteredAt.getTime())
      .slice(0, limit);
  },
  redrive: async (ids) => {
    const [messages, emails] = await Promise.all([
      queue.redrive(ids),
      redriveEmailDeadLetters(documents, clock, ids),
    ]);
    return messages + emails;
  },
});
