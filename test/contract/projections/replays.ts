import { projections } from '../../../src/subscriptions.js';
import { expect } from 'chai';
import { silentLogger, systemClock } from '../../../src/application/ports/index.js';
import { saveCheckpoint } from '../../../src/application/subscriptions/index.js';
import { bulkLoad } from '../../../src/projections/engine/bulkLoad.js';
import { startLiveProjection } from '../../../src/projections/index.js';
import { freshFold, hashOf, shop, traffic } from '../../unit/projections/world.js';
import type { WorldRef } from '../projections.contract.js';
import { untilCaughtUp } from './helpers.js';

export function replayTests(world: WorldRef) {
  const runAll = async (batchSize = 50) => {
    const { eventStore, documents } = world();
    const live = await Promise.all(
      projections.map((projection) =>
        startLiveProjection({
          projection,
          eventStore,
          documents,
          clock: systemClock,
          logger: silentLogger,
          batchSize,
          pollMs: 20,
        }),
      ),
    );
    await untilCaughtUp(eventStore, documents, projections);
    await Promise.all(live.map((run) => run.stop()));
  };
  const hashes = async () =>
    Promise.all(projections.map((projection) => hashOf(world().documents, projection.collection)));

  describe('replays', () => {
    it('given a log of every kind of change, when projected, then each read model equals a fresh fold of the log', async () => {
      const { eventStore, documents } = world();
      const s = shop(eventStore);
      await traffic(s, [await s.addProduct(), await s.addProduct(), await s.addProduct()], 40);
      await runAll();
      for (const projection of projections) {
        expect(await hashOf(documents, projection.collection), projection.name).to.equal(
          await hashOf(documents, await freshFold(projection, eventStore, documents)),
        );
      }
    });

    it('given projected read models, when the same events are applied again from position 0, then every read model is byte-identical', async () => {
      const { eventStore, documents } = world();
      const s = shop(eventStore);
      await traffic(s, [await s.addProduct(), await s.addProduct()], 30, 7);
      await runAll();
      const before = await hashes();
      for (const projection of projections)
        await saveCheckpoint(documents, projection.name, 0, new Date());
      await runAll(13);
      expect(await hashes()).to.deep.equal(before);
    });

    it('given the log, when bulk-loaded from 0 through a tiny write-back buffer, then each read model equals a fresh fold', async () => {
      const { eventStore, documents } = world();
      const s = shop(eventStore);
      await traffic(s, [await s.addProduct(), await s.addProduct(), await s.addProduct()], 40, 3);
      for (const projection of projections) {
        const collection = `${projection.collection}_bulk_${Date.now()}`;
        // Four documents in memory, written three at a time: most are evicted, read back and replaced at least once.
        const loaded = await bulkLoad({
          projection,
          eventStore,
          documents,
          collection,
          pageSize: 9,
          maxBufferedDocs: 4,
          writeChunk: 3,
        });
        const count = await documents.collection(collection).count();
        // More documents than the buffer holds: some went cold, came back and were written again.
        if (count > 4)
          expect(
            loaded.written,
            `${projection.name}: documents written more than once`,
          ).to.be.greaterThan(count);
        expect(await hashOf(documents, collection), projection.name).to.equal(
          await hashOf(documents, await freshFold(projection, eventStore, documents)),
        );
      }
    });
  });
}
