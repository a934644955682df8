import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { TOKENS } from '../../src/container.js';
import { readCheckpoint } from '../../src/application/subscriptions/index.js';
import { subscriptions } from '../../src/subscriptions.js';
import { parseIntegrationMessage } from '../../src/consumers/integrationMessages.js';
import { killRepeatedly, spawnRoles, waitUntil } from './support/pipelineProcess.js';
import type { RoleProcess } from './support/pipelineProcess.js';
import { addProducts, openWorld, placeInWaves } from './support/pipelineWorld.js';
import type { World } from './support/pipelineWorld.js';

const ORDERS = Number(process.env.PIPELINE_CRASH_ORDERS ?? 2000);
const KILLS = Number(process.env.PIPELINE_CRASH_KILLS ?? 6);
const RUN_LIMIT_MS = 240_000;

describe('forwarder (embedded queue): killed with SIGKILL at random moments and restarted', function () {
  this.timeout(RUN_LIMIT_MS + 60_000);
  let world: World | undefined;
  let child: RoleProcess | undefined;

  before(async () => {
    // No processor: the queue keeps everything the forwarder sent, for the test to count.
    world = await openWorld(
      { QUEUE: 'sqlite', QUEUE_NAME: `forwarder-crash-${randomUUID().slice(0, 8)}` },
      [],
    );
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed' && child)
      process.stderr.write(`forwarder output (last lines):\n${child.output()}\n`);
  });
  after(async () => {
    await child?.kill();
    await world?.stop();
  });

  it(`given ${ORDERS} orders placed while the forwarder is killed mid-stream and restarted each time, then every OrderPlaced reaches the queue exactly once`, async () => {
    const w = world!;
    const startedAt = Date.now();
    const deadline = startedAt + RUN_LIMIT_MS;
    const documents = await w.system.container.get(TOKENS.documents);
    await addProducts(w, [100_000, 100_000]);
    // Spread over the crash loop, so each forwarder dies while events keep coming.
    let placing = true;
    const placement = placeInWaves(w, { count: ORDERS, perWave: 20, pauseMs: 400 }).then(
      () => void (placing = false),
      (error: unknown) => error,
    );
    const checkpoint = async () =>
      (await readCheckpoint(documents, subscriptions.forwarder.name)) ?? 0;
    const caughtUp = async () =>
      !placing && (await checkpoint()) >= ((await w.eventStore.headPosition()) ?? 0);

    const kills = await killRepeatedly({
      start: () => (child = spawnRoles(['forwarder'], w.env)),
      progress: checkpoint,
      finished: caughtUp,
      maxKills: KILLS,
      killAfterMs: [300, 1500],
      deadline,
    });
    const last = (child = spawnRoles(['forwarder'], w.env));
    const failed = await placement;
    if (failed) throw failed;
    await waitUntil(
      'the forwarder has caught up with the log',
      async () => {
        const exit = last.exit();
        if (exit)
          throw new Error(
            `the forwarder exited by itself (${JSON.stringify(exit)}):\n${last.output()}`,
          );
        return caughtUp();
      },
      deadline,
    );
    await last.stop();

    const placed = await w.eventStore.readAll({ types: ['OrderPlaced'], maxCount: ORDERS + 1 });
    expect(placed).to.have.length(w.orders.size);
    const queue = await w.system.container.get(TOKENS.queue);
    const received: string[] = [];
    const mismatched: string[] = [];
    for (let round = 0; round < ORDERS; round += 1) {
      const batch = await queue.receive({ maxMessages: 10, waitSeconds: 0 });
      if (batch.length === 0) break;
      for (const message of batch) {
        const parsed = parseIntegrationMessage(message.body);
        if (
          !parsed.ok ||
          parsed.message.eventId !== message.id ||
          parsed.message.orderId !== message.groupId
        )
          mismatched.push(message.id);
        received.push(message.id);
        await queue.acknowledge(message);
      }
    }
    const distinct = new Set(received);
    const lost = placed.filter((event) => !distinct.has(event.id));
    expect(mismatched, 'messages whose body does not match their id and group').to.deep.equal([]);
    expect(
      lost.map((event) => event.id),
      'OrderPlaced events that never reached the queue',
    ).to.deep.equal([]);
    expect(received.length - distinct.size, 'resends the deduplication let through').to.equal(0);
    expect(distinct.size).to.equal(w.orders.size);
    expect(await queue.depth()).to.deep.equal({ ready: 0, inFlight: 0, deadLetters: 0 });
    process.stdout.write(
      `      ${JSON.stringify({ kills, orders: w.orders.size, messages: received.length, seconds: Math.round((Date.now() - startedAt) / 1000) })}\n`,
    );
  });
});
