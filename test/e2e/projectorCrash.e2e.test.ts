import { projections } from '../../src/subscriptions.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { DocumentStore, EventStore } from '../../src/application/ports/index.js';
import { createSqliteDocumentStore } from '../../src/infrastructure/documents/index.js';
import { createSqliteEventStore } from '../../src/infrastructure/eventStore/index.js';
import { sleep, untilCaughtUp } from '../contract/projections/helpers.js';
import { freshFold, hashOf, shop, traffic } from '../unit/projections/world.js';
import type { Child } from './support/projectorProcess.js';
import { startProjectorProcess } from './support/projectorProcess.js';

const KILLS = Number(process.env.PROJECTOR_CRASH_KILLS ?? 6);

describe('projector: killed with SIGKILL mid-work and restarted', function () {
  this.timeout(300_000);
  let dir: string;
  let env: Record<string, string>;
  let eventStore: EventStore;
  let documents: DocumentStore;
  let child: Child | undefined;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'projector-crash-'));
    // Small batches: more commits, so a kill lands between them and inside them.
    env = { DATA_DIR: dir, PROJECTION_BATCH_SIZE: '7', SQLITE_SYNCHRONOUS: 'NORMAL' };
    eventStore = createSqliteEventStore({ path: join(dir, 'events.db'), synchronous: 'NORMAL' });
    documents = createSqliteDocumentStore({ path: join(dir, 'documents.db') });
  });
  after(async () => {
    await child?.kill('SIGKILL');
    await eventStore?.close();
    await documents?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('given waves of every kind of change, when the projector is killed at random moments, then each read model ends equal to a fresh fold: nothing applied twice, nothing lost', async () => {
    const s = shop(eventStore);
    const products = [await s.addProduct(), await s.addProduct(), await s.addProduct()];
    let seed = 1;
    for (let kill = 0; kill < KILLS; kill += 1) {
      child = await startProjectorProcess(env);
      const wave = traffic(s, products, 40, (seed += 1));
      await sleep(Math.floor(Math.random() * 400));
      await child.kill('SIGKILL');
      await wave;
    }
    child = await startProjectorProcess(env);
    await untilCaughtUp(eventStore, documents, projections);
    await child.kill('SIGTERM');
    expect((await child.exited).code).to.equal(0);
    for (const projection of projections) {
      expect(await hashOf(documents, projection.collection), projection.name).to.equal(
        await hashOf(documents, await freshFold(projection, eventStore, documents)),
      );
    }
  });
});
