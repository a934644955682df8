import { projections } from '../../../src/subscriptions.js';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { Command } from 'commander';
import { createSqliteDocumentStore } from '../../../src/infrastructure/documents/index.js';
import { createSqliteEventStore } from '../../../src/infrastructure/eventStore/index.js';
import { registerProjectionCommands } from '../../../src/cli/projections.js';
import { shop, traffic } from './world.js';

const sink = (isTTY: boolean) => {
  let text = '';
  const stream = Object.assign(
    new Writable({ write: (chunk, _encoding, done) => ((text += String(chunk)), done()) }),
    { isTTY },
  );
  return { stream, text: () => text };
};

describe('projections CLI', function () {
  this.timeout(30_000);

  const run = async (isTTY: boolean, ...args: string[]) => {
    const eventStore = createSqliteEventStore({ path: ':memory:', synchronous: 'NORMAL' });
    const documents = createSqliteDocumentStore({ path: ':memory:' });
    const s = shop(eventStore);
    await traffic(s, [await s.addProduct(), await s.addProduct()], 30);
    const [stdout, stderr] = [sink(false), sink(isTTY)];
    const program = new Command().exitOverride();
    registerProjectionCommands(
      program,
      async () => ({ eventStore, documents, close: async () => {} }),
      { stdout: stdout.stream, stderr: stderr.stream },
      {
        projections,
        plainEveryMs: 0,
        rebuild: { pageSize: 10, pollMs: 5 },
      },
    );
    try {
      await program.parseAsync(args, { from: 'user' });
    } finally {
      await eventStore.close();
      await documents.close();
    }
    return { stdout: stdout.text(), stderr: stderr.text() };
  };

  it('given no terminal, when a projection is rebuilt, then progress comes as plain lines with events/s and ETA, and the result on stdout', async () => {
    const { stdout, stderr } = await run(false, 'projections', 'rebuild', 'orders');
    expect(stdout).to.match(
      /^rebuilt projections\.orders: \d+ events in [\d.]+ s \(\d+ events\/s\), checkpoint \d+\n$/,
    );
    const lines = stderr.trim().split('\n');
    expect(lines.length).to.be.greaterThan(3);
    expect(lines[0]).to.match(
      /^projections\.orders: loading, position \d+ of \d+, \d+ events, \d+ events\/s/,
    );
    expect(stderr).to.match(/ETA [\d.]+ s/);
    expect(lines.at(-1)).to.match(/^projections\.orders: done,/);
    expect(stderr).not.to.include('\r');
  });

  it('given a terminal, when a projection is rebuilt, then progress is a bar with events/s and ETA', async () => {
    const { stdout, stderr } = await run(true, 'projections', 'rebuild', 'products');
    expect(stdout).to.match(/^rebuilt projections\.products:/);
    expect(stderr).to.match(
      /projections\.products .*% \| (loading|catching up|swapping|done) \| position \d+\/\d+ \| \d+ events\/s \| ETA /,
    );
  });

  it('given an unknown name, then it says so', async () => {
    const error = await run(false, 'projections', 'rebuild', 'nope').then(
      () => null,
      (e: unknown) => e,
    );
    expect(String(error)).to.include('no projection named nope');
  });

  it('given status, then one row per projection with checkpoint, head, lag, state and rebuild', async () => {
    const { stdout } = await run(false, 'projections', 'status');
    const [header, ...rows] = stdout.trim().split('\n');
    expect(header).to.match(/^projection\s+checkpoint\s+head\s+lag\s+state\s+rebuild$/);
    expect(rows.map((row) => row.split(/\s+/)[0])).to.include.members([
      'projections.orders',
      'projections.products',
      'projections.dailySales',
    ]);
    expect(rows.every((row) => / stopped\s+-$/.test(row))).to.equal(true);
  });
});
