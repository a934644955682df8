import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { TOKENS } from '../../src/container.js';
import { queueProfiles } from '../support/queueProfiles.js';
import { killRepeatedly, spawnRoles, waitUntil } from './support/pipelineProcess.js';
import type { RoleProcess } from './support/pipelineProcess.js';
import {
  addProducts,
  expectConsistentOutcome,
  expectOrderStreams,
  openWorld,
  placeInWaves,
  trackFinals,
} from './support/pipelineWorld.js';
import type { World } from './support/pipelineWorld.js';

const ORDERS = Number(process.env.PIPELINE_CRASH_ORDERS ?? 2000);
const KILLS = Number(process.env.PIPELINE_CRASH_KILLS ?? 6);
/** Bounds a hang; it measures nothing. */
const RUN_LIMIT_MS = 240_000;

for (const profile of queueProfiles) {
  describe(`order processor (${profile.name}): killed with SIGKILL at random moments and restarted`, function () {
    this.timeout(RUN_LIMIT_MS + 60_000);
    let world: World | undefined;
    let child: RoleProcess | undefined;

    before(async function () {
      world = await openWorld(
        {
          ...(await profile.env(this)),
          QUEUE_NAME: `processor-crash-${randomUUID().slice(0, 8)}`,
          // A killed processor's messages come back soon.
          QUEUE_VISIBILITY_TIMEOUT_SECONDS: '3',
          // A message in flight at five kills in a row would be dead-lettered by design; kills
          // here come every few seconds, far more often than any deployment crashes.
          QUEUE_MAX_RECEIVE_COUNT: '50',
        },
        ['forwarder'],
      );
    });
    afterEach(function () {
      if (this.currentTest?.state === 'failed' && child)
        process.stderr.write(`processor output (last lines):\n${child.output()}\n`);
    });
    after(async () => {
      await child?.kill();
      await world?.stop();
    });

    it(`given ${ORDERS} orders, half over four products with limited stock, when the processor is killed mid-work and restarted each time, then every order reaches one final state and no product holds two reservations for one order`, async () => {
      const w = world!;
      const startedAt = Date.now();
      const deadline = startedAt + RUN_LIMIT_MS;
      await addProducts(w, [300, 300, 200, 200, 100_000, 100_000]);
      const [scarce, plenty] = [w.products.slice(0, 4), w.products.slice(4)];
      // Half up front over scarce stock, before processing begins, so none is refused at
      // placement and many fail in the processor; the other half keeps arriving during the kills,
      // over plenty of stock, so no placement is refused for stock the processor took.
      const upFront = Math.floor(ORDERS / 2);
      await placeInWaves(w, { count: upFront, perWave: 100, pauseMs: 0, products: scarce });
      let placing = true;
      const arriving = placeInWaves(w, {
        count: ORDERS - upFront,
        perWave: 20,
        pauseMs: 500,
        products: plenty,
      }).then(
        () => void (placing = false),
        (error: unknown) => error,
      );
      const finals = trackFinals(w.eventStore);
      const allFinal = async () => !placing && (await finals.count()) >= w.orders.size;

      const kills = await killRepeatedly({
        start: () => (child = spawnRoles(['processor'], w.env)),
        progress: finals.count,
        finished: allFinal,
        maxKills: KILLS,
        killAfterMs: [300, 1500],
        deadline,
      });

      // A killed processor may have finished an order without acknowledging its message: that
      // message comes back after the visibility timeout, and the last processor drops it.
      const queue = await w.system.container.get(TOKENS.queue);
      const drained = async () => {
        const { ready, inFlight } = await queue.depth();
        return ready + inFlight === 0;
      };
      const last = (child = spawnRoles(['processor'], w.env));
      const failed = await arriving;
      if (failed) throw failed;
      await waitUntil(
        `all ${w.orders.size} orders are final and the queue is empty`,
        async () => {
          const exit = last.exit();
          if (exit)
            throw new Error(
              `the processor exited by itself (${JSON.stringify(exit)}):\n${last.output()}`,
            );
          return (await allFinal()) && (await drained());
        },
        deadline,
      );
      await last.stop();

      const outcome = await expectConsistentOutcome(w);
      await expectOrderStreams(w);
      expect(await queue.depth(), 'nothing left in the queue, nothing dead-lettered').to.deep.equal(
        { ready: 0, inFlight: 0, deadLetters: 0 },
      );
      expect(outcome.processed, 'some orders processed').to.be.greaterThan(0);
      expect(outcome.failed, 'some orders failed for stock').to.be.greaterThan(0);
      process.stdout.write(
        `      ${JSON.stringify({ profile: profile.name, kills, ...outcome, seconds: Math.round((Date.now() - startedAt) / 1000) })}\n`,
      );
    });
  });
}
