import type { Command } from 'commander';
import type { Queue } from '../application/ports/index.js';

type OpenQueue = () => Promise<{ queue: Queue; close(): Promise<void> }>;

const withQueue = async (open: OpenQueue, work: (queue: Queue) => Promise<void>) => {
  const { queue, close } = await open();
  try {
    await work(queue);
  } finally {
    await close();
  }
};

/** `dead-letters list|show|redrive`: what the processor gave up on, and putting it back. */
export const registerDeadLetterCommands = (program: Command, open: OpenQueue) => {
  const command = program.command('dead-letters').description('inspect and redrive dead-lettered order messages');

  command
    .command('list')
    .description('one line per dead letter: id, order, receives, when, reason')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON instead of lines')
    .action((options: { limit: string; json?: boolean }) =>
      withQueue(open, async (queue) => {
        const letters = await queue.listDeadLetters(Number(options.limit));
        if (options.json) return void process.stdout.write(`${JSON.stringify(letters, null, 2)}\n`);
        if (letters.length === 0) return void process.stdout.write('no dead letters\n');
        for (const letter of letters) {
          process.stdout.write(
            `${letter.id}  order ${letter.groupId}  received ${letter.receiveCount}x  ${letter.deadLetteredAt.toISOString()}  ${letter.reason}\n`,
          );
        }
      }),
    );

  command
    .command('show <id>')
    .description('one dead letter with its body')
    .action((id: string) =>
      withQueue(open, async (queue) => {
        const letter = (await queue.listDeadLetters(10_000)).find((candidate) => candidate.id === id);
        if (!letter) {
          process.exitCode = 1;
          return void process.stderr.write(`no dead letter ${id}\n`);
        }
        process.stdout.write(`${JSON.stringify(letter, null, 2)}\n`);
      }),
    );

  command
    .command('redrive [ids...]')
    .description('move dead letters (all, or those named) back to the queue')
    .action((ids: string[]) =>
      withQueue(open, async (queue) => {
        const moved = await queue.redrive(ids.length > 0 ? ids : undefined);
        process.stdout.write(`redrove ${moved} message${moved === 1 ? '' : 's'}\n`);
      }),
    );
};
