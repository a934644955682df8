import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { Command } from 'commander';
import type { EventStore, NewEvent } from '../../src/application/ports/index.js';
import { upcasters, withUpcasting } from '../../src/application/upcasting/index.js';
import { registerEventCommands } from '../../src/cli/events.js';
import type { CliStreams } from '../../src/cli/events.js';
import { createSqliteEventStore } from '../../src/infrastructure/eventStore/index.js';
import { nextMillisecond } from '../fixtures/auditFlows.js';

/** A stdout that takes a chunk only on a later turn of the event loop, like a slow pipe. */
const slowSink = () => {
  const chunks: string[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  let drains = 0;
  const stream = new Writable({
    highWaterMark: 1,
    write: (chunk, _encoding, done) => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      setImmediate(() => {
        chunks.push(String(chunk));
        inFlight -= 1;
        done();
      });
    },
  });
  stream.on('drain', () => (drains += 1));
  return {
    stream,
    text: () => chunks.join(''),
    mostInFlight: () => mostInFlight,
    drains: () => drains,
  };
};

const textSink = () => {
  let text = '';
  return {
    stream: new Writable({ write: (chunk, _e, done) => ((text += String(chunk)), done()) }),
    text: () => text,
  };
};

const event = (type: string, data: object): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: { userId: 'u', schemaVersion: 1 },
});

describe('events export and events stats (CLI)', function () {
  this.timeout(30_000);
  let eventStore: EventStore;
  let middle: Date;

  before(async () => {
    eventStore = withUpcasting(
      createSqliteEventStore({ path: ':memory:', synchronous: 'NORMAL' }),
      upcasters,
    );
    const batch = (type: string, count: number) =>
      Array.from({ length: count }, (_, i) => event(type, { i }));
    await eventStore.append(`order-${randomUUID()}`, batch('OrderPlaced', 1200), 'no_stream');
    await eventStore.append(`product-${randomUUID()}`, batch('StockReserved', 1300), 'no_stream');
    await nextMillisecond();
    middle = new Date();
    await nextMillisecond();
    await eventStore.append(`order-${randomUUID()}`, batch('OrderCancelled', 500), 'no_stream');
  });
  after(() => eventStore.close());

  const run = async (streams: CliStreams, ...args: string[]) => {
    const program = new Command().exitOverride();
    registerEventCommands(program, async () => ({ eventStore, close: async () => {} }), streams);
    await program.parseAsync(['events', ...args], { from: 'user' });
  };
  const exported = async (...args: string[]) => {
    const out = textSink();
    await run({ stdout: out.stream, stderr: textSink().stream }, 'export', ...args);
    return out
      .text()
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  };

  it('given a slow reader on stdout, when the whole log is exported, then every event arrives once, in order, one page at a time', async () => {
    const out = slowSink();
    const err = textSink();
    await run({ stdout: out.stream, stderr: err.stream }, 'export');
    const lines = out
      .text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).to.have.length(3000);
    expect(lines.map((line) => line.position)).to.deep.equal(
      Array.from({ length: 3000 }, (_, i) => i + 1),
    );
    expect(lines[0]).to.have.keys(
      'position',
      'id',
      'streamId',
      'revision',
      'type',
      'recordedAt',
      'data',
      'metadata',
    );
    expect(out.mostInFlight()).to.equal(1);
    expect(out.drains()).to.be.greaterThan(1);
    expect(err.text()).to.match(/exported 3000 events\n$/);
  });

  it('given --type, --from-position, --since and --until, when exported, then only that part of the log comes', async () => {
    const typed = await exported('--type', 'OrderCancelled', '--type', 'StockReserved');
    expect(typed).to.have.length(1800);
    expect(new Set(typed.map((line) => line.type))).to.deep.equal(
      new Set(['OrderCancelled', 'StockReserved']),
    );
    expect(await exported('--type', 'OrderCancelled,StockReserved')).to.deep.equal(typed);
    const fromPosition = await exported('--from-position', '2990');
    expect(fromPosition.map((line) => line.position)).to.deep.equal([
      2990, 2991, 2992, 2993, 2994, 2995, 2996, 2997, 2998, 2999, 3000,
    ]);
    const since = await exported('--since', middle.toISOString());
    expect(since.every((line) => line.type === 'OrderCancelled')).to.equal(true);
    expect(since).to.have.length(500);
    expect(await exported('--until', middle.toISOString())).to.have.length(2500);
    expect(await exported('--since', middle.toISOString(), '--type', 'OrderPlaced')).to.deep.equal(
      [],
    );
  });

  it('given a reader that goes away, when exporting, then the export stops quietly', async () => {
    const broken = new Writable({
      write: (_chunk, _e, done) => done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })),
    });
    broken.on('error', () => {});
    await run({ stdout: broken, stderr: textSink().stream }, 'export');
  });

  it('given a malformed option, when the command runs, then it is refused before reading', async () => {
    const out = textSink();
    const program = new Command().exitOverride().configureOutput({ writeErr: () => {} });
    registerEventCommands(program, async () => ({ eventStore, close: async () => {} }), {
      stdout: out.stream,
      stderr: out.stream,
    });
    let refused: unknown;
    await program
      .parseAsync(['events', 'export', '--since', 'last tuesday'], { from: 'user' })
      .catch((error: unknown) => (refused = error));
    expect(refused).to.have.property('code', 'commander.invalidArgument');
  });

  it('given the log, when stats are asked for, then events are counted by type and by UTC day', async () => {
    const out = textSink();
    await run({ stdout: out.stream, stderr: textSink().stream }, 'stats');
    const stats = JSON.parse(out.text());
    expect(stats.byType).to.deep.equal({
      OrderCancelled: 500,
      OrderPlaced: 1200,
      StockReserved: 1300,
    });
    expect(stats).to.include({ total: 3000, firstPosition: 1, lastPosition: 3000 });
    expect(Object.values(stats.byDay).reduce((sum: number, n) => sum + (n as number), 0)).to.equal(
      3000,
    );
    expect(Object.keys(stats.byDay).every((day) => /^\d{4}-\d{2}-\d{2}$/.test(day))).to.equal(true);
  });
});
