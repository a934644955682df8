import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { silentLogger, systemClock } from '../application/ports/index.js';
import type { DocumentStore, EventStore, Logger } from '../application/ports/index.js';
import { findProjection, projectionStatus, startRebuild } from '../projections/index.js';
import type { Projection, RebuildOptions, RebuildProgress } from '../projections/index.js';

export type OpenProjectionStores = () => Promise<{
  eventStore: EventStore;
  documents: DocumentStore;
  close(): Promise<void>;
}>;
export type ProjectionCliStreams = { stdout: Writable; stderr: Writable & { isTTY?: boolean } };
export type ProjectionCliOptions = {
  /** Those of the register of subscriptions. */
  projections: readonly Projection[];
  logger?: Logger;
  /** Lease, polling and buffer settings of rebuilds (tests shorten them). */
  rebuild?: Partial<
    Pick<RebuildOptions, 'leaseMs' | 'pollMs' | 'swapTimeoutMs' | 'pageSize' | 'maxBufferedDocs'>
  >;
  /** How often a plain (non-terminal) progress line is written. */
  plainEveryMs?: number;
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Rebuild progress on stderr: a bar with events/s and ETA on a terminal; elsewhere (a log, CI) a
 * plain line every few seconds and at each phase, since a bar's carriage returns would flood them.
 */
const progressReporter = (
  name: string,
  stderr: ProjectionCliStreams['stderr'],
  plainEveryMs: number,
) => {
  const startedAt = Date.now();
  const rateOf = (events: number) =>
    Math.round(events / Math.max(0.001, (Date.now() - startedAt) / 1000));
  let phase = '';
  if (stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: stderr,
        format: `${name} {bar} {percentage}% | {phase} | position {value}/{total} | {rate} events/s | ETA {eta_formatted}`,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update: ({ phase: now, position, head, events }: RebuildProgress) => {
        if (!started) bar.start(Math.max(1, head), 0, { phase: now, rate: 0 });
        started = true;
        bar.setTotal(Math.max(1, head, position));
        bar.update(position, { phase: now, rate: rateOf(events) });
      },
      finish: () => started && bar.stop(),
    };
  }
  let last = 0;
  return {
    update: ({ phase: now, position, head, events }: RebuildProgress) => {
      if (now === phase && Date.now() - last < plainEveryMs) return;
      phase = now;
      last = Date.now();
      // The ETA goes by log positions, which count the events of other types the projection skips.
      const perSecond = position / Math.max(0.001, (Date.now() - startedAt) / 1000);
      const eta =
        perSecond > 0 && head > position
          ? `, ETA ${seconds(((head - position) / perSecond) * 1000)}`
          : '';
      stderr.write(
        `${name}: ${now}, position ${position} of ${head}, ${events} events, ${rateOf(events)} events/s${eta}\n`,
      );
    },
    finish: () => {},
  };
};

/** `projections status` and `projections rebuild <name>`, against the stores the configuration names. */
export const registerProjectionCommands = (
  program: Command,
  open: OpenProjectionStores,
  streams: ProjectionCliStreams = { stdout: process.stdout, stderr: process.stderr },
  options: ProjectionCliOptions,
) => {
  const { projections } = options;
  const logger = options.logger ?? silentLogger;
  const command = program
    .command('projections')
    .description('read models: status, and rebuilds from the whole log');

  command
    .command('status')
    .description(
      'each projection: checkpoint, log head, lag, state of its live runner, latest rebuild',
    )
    .option('--json', 'print JSON instead of a table')
    .action(async ({ json }: { json?: boolean }) => {
      const { eventStore, documents, close } = await open();
      try {
        const status = await projectionStatus({
          eventStore,
          documents,
          projections,
          clock: systemClock,
        });
        if (json) return void streams.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
        const rows = [['projection', 'checkpoint', 'head', 'lag', 'state', 'rebuild']];
        for (const p of status) {
          const rebuild = p.rebuild
            ? `${p.rebuild.state} ${p.rebuild.position}/${p.rebuild.head} (${p.rebuild.startedAt})`
            : '-';
          rows.push([
            p.name,
            String(p.checkpoint),
            String(p.head),
            String(p.lag),
            p.state,
            rebuild,
          ]);
        }
        const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
        for (const row of rows)
          streams.stdout.write(
            `${row
              .map((cell, i) => cell.padEnd(widths[i]!))
              .join('  ')
              .trimEnd()}\n`,
          );
      } finally {
        await close();
      }
    });

  command
    .command('rebuild <name>')
    .description(
      'refill a projection from position 0 into a shadow copy, catch up with live writes, then swap it in',
    )
    .action(async (name: string) => {
      const projection = findProjection(projections, name);
      const { eventStore, documents, close } = await open();
      const progress = progressReporter(
        projection.name,
        streams.stderr,
        options.plainEveryMs ?? 5000,
      );
      const startedAt = Date.now();
      try {
        const rebuild = await startRebuild({
          ...options.rebuild,
          projection,
          eventStore,
          documents,
          clock: systemClock,
          logger,
          onProgress: progress.update,
        });
        // Ctrl-C aborts cleanly: the shadow is dropped, the lease released, the live model untouched.
        const abort = () => void rebuild.abort();
        process.once('SIGINT', abort);
        try {
          const done = await rebuild.done;
          progress.finish();
          const ms = Date.now() - startedAt;
          streams.stdout.write(
            `rebuilt ${projection.name}: ${done.events} events in ${seconds(ms)} (${Math.round(done.events / Math.max(0.001, ms / 1000))} events/s), checkpoint ${done.position}\n`,
          );
        } finally {
          process.off('SIGINT', abort);
        }
      } finally {
        progress.finish();
        await close();
      }
    });

  return command;
};
