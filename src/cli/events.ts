import type { Writable } from 'node:stream';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import type { EventStore } from '../application/ports/index.js';
import { eventStats, exportEvents } from '../audit/index.js';
import type { ExportProgress, LogRange } from '../audit/index.js';

export type OpenEventStore = () => Promise<{ eventStore: EventStore; close(): Promise<void> }>;
export type CliStreams = { stdout: Writable; stderr: Writable & { isTTY?: boolean } };

type RangeOptions = { fromPosition?: number; since?: Date; until?: Date; type?: string[] };

const position = (value: string) => {
  if (!/^\d{1,15}$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
};
const instant = (value: string) => {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError('must be an ISO 8601 date or time, e.g. 2024-05-01T00:00:00Z');
  }
  return date;
};
const collect = (value: string, previous: string[] = []) => [
  ...previous,
  ...value.split(',').filter(Boolean),
];

const rangeOf = ({ fromPosition, since, until, type }: RangeOptions): LogRange => ({
  ...(fromPosition === undefined ? {} : { fromPosition }),
  ...(since ? { since } : {}),
  ...(until ? { until } : {}),
  ...(type && type.length > 0 ? { types: type } : {}),
});

const PLAIN_PROGRESS_EVERY_MS = 5000;

/**
 * A bar on a terminal; elsewhere (a log file, CI) a line every few seconds, since a bar's
 * carriage returns would flood them. Either way on stderr: stdout carries only the data.
 */
const progressReporter = async (
  eventStore: EventStore,
  stderr: CliStreams['stderr'],
  verb: string,
) => {
  const head = (await eventStore.headPosition()) ?? 0;
  if (stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: stderr,
        format: `${verb} {bar} {percentage}% | position {value}/{total} | {events} events | ETA {eta_formatted}`,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(head, 0, { events: 0 });
    return {
      update: ({ events, position: at }: ExportProgress) =>
        bar.update(Math.min(at ?? 0, head), { events }),
      finish: () => bar.stop(),
    };
  }
  let lastLine = Date.now();
  return {
    update: ({ events, position: at }: ExportProgress) => {
      if (Date.now() - lastLine < PLAIN_PROGRESS_EVERY_MS) return;
      lastLine = Date.now();
      stderr.write(`${verb}: ${events} events, position ${at ?? 0} of ${head}\n`);
    },
    finish: () => {},
  };
};

const withRange = (command: Command) =>
  command
    .option('--from-position <n>', 'start at this global position (inclusive)', position)
    .option('--since <time>', 'only events recorded at or after this time (ISO 8601)', instant)
    .option('--until <time>', 'only events recorded at or before this time (ISO 8601)', instant)
    .option('--type <types>', 'only these event types (comma-separated, repeatable)', collect);

/**
 * `events export` and `events stats`. Both read the log by position, one page at a time.
 * --since/--until filter on recordedAt: the scan starts with a binary search for --since and stops
 * once events are recorded a minute past --until, which holds because positions follow time.
 */
export const registerEventCommands = (
  program: Command,
  openEventStore: OpenEventStore,
  streams: CliStreams = { stdout: process.stdout, stderr: process.stderr },
) => {
  const events = program
    .command('events')
    .description('read the event log: NDJSON export and statistics');

  withRange(
    events.command('export').description('write events as NDJSON to stdout, oldest first'),
  ).action(async (options: RangeOptions) => {
    const { eventStore, close } = await openEventStore();
    try {
      const progress = await progressReporter(eventStore, streams.stderr, 'exporting');
      try {
        const done = await exportEvents(
          eventStore,
          streams.stdout,
          rangeOf(options),
          progress.update,
        );
        progress.finish();
        streams.stderr.write(`exported ${done.events} events\n`);
      } catch (error) {
        progress.finish();
        // The reader went away (`| head`): what it wanted, it has.
        if ((error as { code?: unknown }).code !== 'EPIPE') throw error;
      }
    } finally {
      await close();
    }
  });

  withRange(
    events.command('stats').description('count events by type and by day (UTC), as JSON'),
  ).action(async (options: RangeOptions) => {
    const { eventStore, close } = await openEventStore();
    try {
      const progress = await progressReporter(eventStore, streams.stderr, 'counting');
      const stats = await eventStats(eventStore, rangeOf(options), progress.update);
      progress.finish();
      streams.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
    } finally {
      await close();
    }
  });

  return events;
};
