import type { Command } from 'commander';
import type { DeadLetters } from '../consumers/deadLetters.js';

type OpenDeadLetters = () => Promise<{ deadLetters: DeadLetters; close(): Promise<void> }>;

const withDeadLetters = async (
  open: OpenDeadLetters,
  work: (deadLetters: DeadLetters) => Promise<void>,
) => {
  const { deadLetters, close } = await open();
  try {
    await work(deadLetters);
  } finally {
    await close();
  }
};

/** `dead-letters list|show|redrive`: what the processor gave up on, and putting it back. */
export const registerDeadLetterCommands = (program: Command, open: OpenDeadLetters) => {
  const command = program
    .command('dead-letters')
    .description('inspect and redrive what the processor and the notifier gave up on');

  command
    .command('list')
    .description('one line per dead letter: source, id, order, attempts, when, reason')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON instead of lines')
    .action((options: { limit: string; json?: boolean }) =>
      withDeadLetters(open, async (deadLetters) => {
        const letters = await deadLetters.list(Number(options.limit));
        if (options.json) return void process.stdout.write(`${JSON.stringify(letters, null, 2)}\n`);
        if (letters.length === 0) return void process.stdout.write('no dead letters\n');
        for (const letter of letters) {
          process.stdout.write(
            `${letter.source}  ${letter.id}  order ${letter.groupId}  tried ${letter.receiveCount}x  ${letter.deadLetteredAt.toISOString()}  ${letter.reason}\n`,
          );
        }
      }),
    );

  command
    .command('show <id>')
    .description('one dead letter with its body')
    .action((id: string) =>
      withDeadLetters(open, async (deadLetters) => {
        const letter = (await deadLetters.list(10_000)).find((candidate) => candidate.id === id);
        if (!letter) {
          process.exitCode = 1;
          return void process.stderr.write(`no dead letter ${id}\n`);
        }
        process.stdout.write(`${JSON.stringify(letter, null, 2)}\n`);
      }),
    );

  command
    .command('redrive [ids...]')
    .description(
      'put dead letters (all, or those named) back: messages on the queue, emails in the outbox',
    )
    .action((ids: string[]) =>
      withDeadLetters(open, async (deadLetters) => {
        const moved = await deadLetters.redrive(ids.length > 0 ? ids : undefined);
        process.stdout.write(`redrove ${moved} message${moved === 1 ? '' : 's'}\n`);
      }),
    );
};
