import { projections, readModels } from '../../src/subscriptions.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { DocumentStore, EventStore } from '../../src/application/ports/index.js';
import { createSqliteDocumentStore } from '../../src/infrastructure/documents/index.js';
import { createSqliteEventStore } from '../../src/infrastructure/eventStore/index.js';
import { projectionStatus, rebuildsOf } from '../../src/projections/index.js';
import { systemClock } from '../../src/application/ports/index.js';
import { sleep, until, untilCaughtUp } from '../contract/projections/helpers.js';
import { freshFold, hashOf, shop, traffic } from '../unit/projections/world.js';
import type { Child } from './support/projectorProcess.js';
import { startProgram, startProjectorProcess } from './support/projectorProcess.js';

describe('projections rebuilt by the CLI while the projector runs in another process', function () {
  this.timeout(300_000);
  let dir: string;
  let env: Record<string, string>;
  let eventStore: EventStore;
  let documents: DocumentStore;
  let projector: Child | undefined;
  let world: ReturnType<typeof shop>;
  let products: string[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'projector-rebuild-'));
    env = { DATA_DIR: dir, SQLITE_SYNCHRONOUS: 'NORMAL' };
    eventStore = createSqliteEventStore({ path: join(dir, 'events.db'), synchronous: 'NORMAL' });
    documents = createSqliteDocumentStore({ path: join(dir, 'documents.db') });
    world = shop(eventStore);
    products = [await world.addProduct(), await world.addProduct(), await world.addProduct()];
    await traffic(world, products, 300);
    projector = await startProjectorProcess(env);
  });
  after(async () => {
    await projector?.kill('SIGKILL');
    await eventStore?.close();
    await documents?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => startProgram(args, { ...env, LOG_LEVEL: 'warn' });

  it('given writes going on, when `projections rebuild orders` runs, then the live runner pauses for the swap and the read model ends equal to a fresh fold', async () => {
    let writing = true;
    const writer = (async () => {
      for (let seed = 1000; writing; seed += 1) {
        await traffic(world, products, 3, seed);
        await sleep(20);
      }
    })();
    const rebuild = await cli('projections', 'rebuild', 'orders');
    const { code } = await rebuild.exited;
    writing = false;
    await writer;
    expect(code, rebuild.lines.join('\n')).to.equal(0);
    expect(rebuild.lines.join('\n')).to.match(/rebuilt projections\.orders: \d+ events/);
    expect(
      rebuild.lines.some((line) =>
        /^projections\.orders: loading, position \d+ of \d+, \d+ events, \d+ events\/s/.test(line),
      ),
    ).to.equal(true);
    const said = (text: string) =>
      projector!.lines.some((line) => line.includes(text) && line.includes('projections.orders'));
    expect(said('paused for a rebuild to swap'), projector!.lines.slice(-10).join('\n')).to.equal(
      true,
    );
    await until('the live runner to resume', async () => said('resuming after the rebuild'));
    await untilCaughtUp(eventStore, documents, projections);
    expect(await hashOf(documents, readModels.orders.collection)).to.equal(
      await hashOf(documents, await freshFold(readModels.orders, eventStore, documents)),
    );
    const [status] = await projectionStatus({
      eventStore,
      documents,
      projections: [readModels.orders],
      clock: systemClock,
    });
    expect(status).to.deep.include({ state: 'running', lag: 0 });
  });

  it('given a rebuild killed with SIGKILL, then the live model is untouched, a second rebuild is refused while the lease lives, and one after it expires starts fresh and completes', async () => {
    await untilCaughtUp(eventStore, documents, projections);
    const before = await hashOf(documents, readModels.orders.collection);
    const first = await cli('projections', 'rebuild', 'orders');
    const started = Date.now();
    await until(
      'the rebuild to take its lease',
      async () =>
        (await rebuildsOf(documents).get(readModels.orders.name))?.state === 'running' ||
        first.child.exitCode !== null,
    );
    await first.kill('SIGKILL');
    const refused = await cli('projections', 'rebuild', 'orders');
    expect((await refused.exited).code).to.equal(1);
    expect(refused.lines.join('\n')).to.include('already running');
    expect(await hashOf(documents, readModels.orders.collection)).to.equal(before);

    await until(
      'the lease to expire',
      async () =>
        (
          await projectionStatus({
            eventStore,
            documents,
            projections: [readModels.orders],
            clock: systemClock,
          })
        )[0]!.rebuild!.state === 'expired',
      60_000,
    );
    expect(Date.now() - started).to.be.greaterThan(1000);
    const second = await cli('projections', 'rebuild', 'orders');
    expect((await second.exited).code, second.lines.join('\n')).to.equal(0);
    expect(
      (await documents.listCollections()).filter((name) => name.startsWith('orders_rebuild_')),
    ).to.deep.equal([]);
    await untilCaughtUp(eventStore, documents, projections);
    expect(await hashOf(documents, readModels.orders.collection)).to.equal(before);
  });
});
