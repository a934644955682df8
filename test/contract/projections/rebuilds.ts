import { projections, readModels } from '../../../src/subscriptions.js';
import { expect } from 'chai';
import { silentLogger, systemClock } from '../../../src/application/ports/index.js';
import type { Doc } from '../../../src/application/ports/index.js';
import {
  projectionStatus,
  REBUILDS,
  RebuildRunning,
  startLiveProjection,
  startRebuild,
} from '../../../src/projections/index.js';
import type {
  ProjectionStatus,
  RebuildLease,
  RunningRebuild,
} from '../../../src/projections/index.js';
import { freshFold, hashOf, shop, traffic } from '../../unit/projections/world.js';
import type { WorldRef } from '../projections.contract.js';
import { sleep, untilCaughtUp } from './helpers.js';

const rejectionOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );
const fast = { leaseMs: 1500, pollMs: 20, pageSize: 50, maxBufferedDocs: 30 };

export function rebuildTests(world: WorldRef) {
  const base = () => ({ ...world(), clock: systemClock, logger: silentLogger });

  describe('rebuilds', () => {
    it('given writes going on and a live runner serving, when every projection is rebuilt, then each ends equal to a fresh fold of the log', async () => {
      const { eventStore, documents } = world();
      const s = shop(eventStore);
      const products = [await s.addProduct(), await s.addProduct(), await s.addProduct()];
      await traffic(s, products, 40, 11);
      const live = await Promise.all(
        projections.map((projection) =>
          startLiveProjection({ projection, ...base(), batchSize: 20, pollMs: 20 }),
        ),
      );
      let writing = true;
      const writer = (async () => {
        // Paced and bounded: a rebuild catches up with live writes only when they come slower than
        // it projects, and FerretDB 1.x projects slowly (every replace scans its collection).
        for (let seed = 100; writing && seed < 140; seed += 1) {
          await traffic(s, products, 2, seed);
          await sleep(50);
        }
      })();
      try {
        for (const projection of projections) {
          const rebuild = await startRebuild({ projection, ...base(), ...fast });
          const done = await rebuild.done;
          expect(done.state).to.equal('done');
        }
      } finally {
        writing = false;
        await writer;
      }
      await untilCaughtUp(eventStore, documents, projections);
      await Promise.all(live.map((run) => run.stop()));
      for (const projection of projections) {
        expect(await hashOf(documents, projection.collection), projection.name).to.equal(
          await hashOf(documents, await freshFold(projection, eventStore, documents)),
        );
      }
      expect(
        (await documents.listCollections()).filter((name) => name.includes('_rebuild_')),
      ).to.deep.equal([]);
    });

    it('given a rebuild running, when a second rebuild of the same projection starts, then it is refused while the first goes on', async () => {
      const s = shop(world().eventStore);
      await traffic(s, [await s.addProduct()], 20, 5);
      const first = await startRebuild({
        projection: readModels.orders,
        ...base(),
        ...fast,
        pageSize: 1,
        onProgress: () => void 0,
      });
      const refused = await rejectionOf(
        startRebuild({ projection: readModels.orders, ...base(), ...fast }),
      );
      expect(refused).to.be.instanceOf(RebuildRunning);
      expect((await first.done).state).to.equal('done');
    });

    it('given a rebuild that died (its lease expired) and left a shadow, then the live model is untouched and a later rebuild starts fresh and completes', async () => {
      const { eventStore, documents } = world();
      const s = shop(eventStore);
      await traffic(s, [await s.addProduct(), await s.addProduct()], 20, 9);
      const live = await startLiveProjection({
        projection: readModels.orders,
        ...base(),
        pollMs: 20,
      });
      await live.caughtUp;
      await untilCaughtUp(eventStore, documents, [readModels.orders]);
      const before = await hashOf(documents, readModels.orders.collection);
      // What a SIGKILLed rebuild leaves: a running lease whose heartbeat stopped, and a half-filled shadow.
      const dead: RebuildLease = {
        _id: readModels.orders.name,
        rebuildId: 'dead',
        state: 'running',
        shadow: 'orders_rebuild_dead',
        owner: 'gone:1',
        startedAt: new Date().toISOString(),
        heartbeatAt: new Date().toISOString(),
        expiresAt: Date.now() + 300,
        position: 3,
        head: 9,
        events: 3,
      };
      await documents.collection<RebuildLease>(REBUILDS).put(dead);
      await documents.bulkWrite([
        { collection: 'orders_rebuild_dead', put: { _id: 'junk', _position: 1 } as Doc },
      ]);
      expect(
        await rejectionOf(startRebuild({ projection: readModels.orders, ...base(), ...fast })),
      ).to.be.instanceOf(RebuildRunning);
      await sleep(400);
      const [status] = await projectionStatus({
        eventStore,
        documents,
        projections: [readModels.orders],
        clock: systemClock,
      });
      expect(status!.rebuild!.state).to.equal('expired');
      expect(await hashOf(documents, readModels.orders.collection)).to.equal(before);

      const rebuild = await startRebuild({ projection: readModels.orders, ...base(), ...fast });
      expect((await rebuild.done).state).to.equal('done');
      await live.stop();
      expect(await documents.listCollections()).not.to.include('orders_rebuild_dead');
      expect(await hashOf(documents, readModels.orders.collection)).to.equal(before);
    });

    it('given a rebuild aborted midway, then the live model and its checkpoint are untouched and the shadow is gone', async () => {
      const { eventStore, documents } = world();
      const s = shop(eventStore);
      await traffic(s, [await s.addProduct()], 30, 13);
      const live = await startLiveProjection({
        projection: readModels.orders,
        ...base(),
        pollMs: 20,
      });
      await untilCaughtUp(eventStore, documents, [readModels.orders]);
      await live.stop();
      const before = await hashOf(documents, readModels.orders.collection);
      const [{ checkpoint }] = (await projectionStatus({
        eventStore,
        documents,
        projections: [readModels.orders],
        clock: systemClock,
      })) as [ProjectionStatus];
      let pages = 0;
      const holder: { rebuild?: RunningRebuild } = {};
      // Aborted from inside its own progress report, so it cannot finish first.
      const onProgress = () => void (++pages === 3 && holder.rebuild?.abort());
      const rebuild = (holder.rebuild = await startRebuild({
        projection: readModels.orders,
        ...base(),
        ...fast,
        pageSize: 2,
        onProgress,
      }));
      await rebuild.abort();
      expect(pages).to.be.lessThan(15);
      expect(await rejectionOf(rebuild.done)).to.be.instanceOf(Error);
      const [after] = await projectionStatus({
        eventStore,
        documents,
        projections: [readModels.orders],
        clock: systemClock,
      });
      expect(after!.checkpoint).to.equal(checkpoint);
      expect(after!.rebuild!.state).to.equal('aborted');
      expect(await hashOf(documents, readModels.orders.collection)).to.equal(before);
      expect(
        (await documents.listCollections()).filter((name) => name.includes('_rebuild_')),
      ).to.deep.equal([]);
    });
  });
}
