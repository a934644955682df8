import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createSqliteQueue } from '../../src/infrastructure/queue/index.js';
import { queueContract } from './queue.contract.js';

describe('SQLite queue', () => {
  let dir: string;
  let path: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'queue-contract-'));
    path = join(dir, 'queue.db');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const open = (
    options: {
      name?: string;
      visibilityTimeoutSeconds?: number;
      maxReceiveCount?: number;
      dedupWindowSeconds?: number;
    } = {},
  ) => createSqliteQueue({ path, name: `q-${randomUUID()}`, pollIntervalMs: 20, ...options });

  queueContract('SQLite', async (options) => {
    const queue = open(options);
    return { queue, cleanup: () => queue.close() };
  });

  describe('beyond the contract', () => {
    const message = (groupId: string) => ({ id: randomUUID(), groupId, body: '{}' });

    it('hands out at most one message of a group per receive', async () => {
      const queue = open();
      await queue.send([message('a'), message('a'), message('b')]);
      const received = await queue.receive({ maxMessages: 10, waitSeconds: 0 });
      expect(received.map((m) => m.groupId)).to.deep.equal(['a', 'b']);
      await queue.close();
    });

    it('keeps queues that share a file apart', async () => {
      const first = open();
      const second = open();
      await first.send([message('a')]);
      expect(await second.receive({ maxMessages: 10, waitSeconds: 0 })).to.deep.equal([]);
      expect((await first.depth()).ready).to.equal(1);
      await Promise.all([first.close(), second.close()]);
    });

    it('shares one queue between connections to one file, as separate processes would', async () => {
      const name = `q-${randomUUID()}`;
      const producer = open({ name });
      const consumer = open({ name });
      const polling = consumer.receive({ maxMessages: 10, waitSeconds: 5 });
      const sent = message('a');
      await producer.send([sent]);
      const [got] = await polling;
      expect(got?.id).to.equal(sent.id);
      await consumer.acknowledge(got!);
      expect(await producer.depth()).to.deep.equal({ ready: 0, inFlight: 0, deadLetters: 0 });
      await Promise.all([producer.close(), consumer.close()]);
    });

    it('accepts an id again once the deduplication window has passed', async () => {
      const queue = open({ dedupWindowSeconds: 0.2 });
      const sent = message('a');
      await queue.send([sent]);
      const [first] = await queue.receive({ maxMessages: 1, waitSeconds: 0 });
      await queue.acknowledge(first!);
      let again: unknown[] = [];
      for (let round = 0; round < 20 && again.length === 0; round += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        await queue.send([sent]);
        again = await queue.receive({ maxMessages: 1, waitSeconds: 0 });
      }
      expect(again).to.have.length(1);
      await queue.close();
    });

    it('answers ping only when its writer can write: a file it cannot open again is not ready', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'queue-ping-'));
      const queue = createSqliteQueue({ path: join(folder, 'queue.db'), name: 'q' });
      await queue.ping();
      await queue.close();
      const again = createSqliteQueue({ path: join(folder, 'queue.db'), name: 'q' });
      // This connection stays open on the unlinked file, but every write goes to a writer thread
      // that opens the path afresh, and finds a folder that is gone.
      rmSync(folder, { recursive: true, force: true });
      const error = await again.ping().then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      await again.close().catch(() => undefined);
      expect(error).to.be.instanceOf(Error);
    });

    it('returns empty from a long poll cut short by close', async () => {
      const queue = open();
      const polling = queue.receive({ maxMessages: 1, waitSeconds: 10 });
      await queue.close();
      expect(await polling).to.deep.equal([]);
    });
  });
});
