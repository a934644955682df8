import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { OutgoingMessage, Queue, ReceivedMessage } from '../../src/application/ports/queue.js';

export type OpenQueue = (opts: {
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
}) => Promise<{ queue: Queue; cleanup(): Promise<void> }>;

const message = (
  groupId: string = randomUUID(),
  attributes?: Record<string, string>,
): OutgoingMessage => {
  const id = randomUUID();
  return {
    id,
    groupId,
    body: JSON.stringify({ orderId: groupId, id }),
    ...(attributes && { attributes }),
  };
};

const ids = (messages: readonly { id: string }[]) => messages.map((m) => m.id);

/** Receives until `done` holds or the rounds run out; bounded so a broken adapter fails, not hangs. */
const receiveUntil = async (
  queue: Queue,
  done: (all: ReceivedMessage[]) => boolean,
  { rounds = 10, acknowledge = true } = {},
) => {
  const all: ReceivedMessage[] = [];
  for (let round = 0; round < rounds && !done(all); round += 1) {
    const batch = await queue.receive({ maxMessages: 10, waitSeconds: 1 });
    all.push(...batch);
    if (acknowledge) for (const m of batch) await queue.acknowledge(m);
  }
  return all;
};

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One suite for every Queue adapter: SQS FIFO semantics as the port describes them. */
export const queueContract = (adapterName: string, open: OpenQueue) => {
  describe(`Queue contract: ${adapterName}`, () => {
    const opened: { cleanup(): Promise<void> }[] = [];
    const fresh = async ({ visibilityTimeoutSeconds = 30, maxReceiveCount = 5 } = {}) => {
      const handle = await open({ visibilityTimeoutSeconds, maxReceiveCount });
      opened.push(handle);
      return handle.queue;
    };
    afterEach(async () => {
      for (const handle of opened.splice(0)) await handle.cleanup();
    });

    it('delivers a message with its id, group, body and attributes, and forgets it once acknowledged', async () => {
      const queue = await fresh();
      const sent = message(undefined, { type: 'OrderPlaced', schemaVersion: '1' });
      await queue.send([sent]);

      const received = await queue.receive({ maxMessages: 10, waitSeconds: 2 });
      expect(received).to.have.length(1);
      const [got] = received as [ReceivedMessage];
      expect(got).to.include({
        id: sent.id,
        groupId: sent.groupId,
        body: sent.body,
        receiveCount: 1,
      });
      expect(got.attributes).to.deep.equal(sent.attributes);
      expect(got.receipt).to.be.a('string').with.length.greaterThan(0);

      await queue.acknowledge(got);
      expect(await queue.receive({ maxMessages: 10, waitSeconds: 0 })).to.deep.equal([]);
      expect(await queue.depth()).to.deep.equal({ ready: 0, inFlight: 0, deadLetters: 0 });
    });

    it('accepts more than ten messages in one send, and delivers every one', async () => {
      const queue = await fresh();
      const sent = Array.from({ length: 25 }, () => message());
      await queue.send(sent);

      const received = await receiveUntil(queue, (all) => all.length >= sent.length);
      expect(ids(received)).to.have.members(ids(sent));
      for (const m of received) expect(m.attributes).to.deep.equal({});
    });

    it('drops a resend of an id within the deduplication window, even after it was acknowledged', async () => {
      const queue = await fresh();
      const sent = message();
      await queue.send([sent, { ...sent, body: 'same id, other body' }]);
      await queue.send([sent]);

      const received = await receiveUntil(queue, (all) => all.length > 0);
      expect(received.map((m) => [m.id, m.body])).to.deep.equal([[sent.id, sent.body]]);

      await queue.send([sent]);
      expect(await queue.receive({ maxMessages: 10, waitSeconds: 1 })).to.deep.equal([]);
    });

    it('delivers a group in send order, never while one of it is in flight, and lets other groups flow', async () => {
      const queue = await fresh();
      const a = [message('group-a'), message('group-a'), message('group-a')];
      const b = [message('group-b'), message('group-b')];
      await queue.send([a[0], a[1], a[2], b[0]] as OutgoingMessage[]);
      await queue.send([b[1] as OutgoingMessage]);

      const first = await queue.receive({ maxMessages: 10, waitSeconds: 2 });
      const firstA = first.filter((m) => m.groupId === 'group-a');
      const firstB = first.filter((m) => m.groupId === 'group-b');
      expect(firstA).to.have.length.greaterThan(0);
      expect(firstB).to.have.length.greaterThan(0);
      expect(ids(firstA)).to.deep.equal(ids(a).slice(0, firstA.length));
      expect(ids(firstB)).to.deep.equal(ids(b).slice(0, firstB.length));

      // Group b is done with, group a still has a message in flight.
      for (const m of firstB) await queue.acknowledge(m);
      const second = await receiveUntil(queue, (all) => all.length > 0, {
        rounds: 2,
        acknowledge: false,
      });
      expect(second.filter((m) => m.groupId === 'group-a')).to.deep.equal([]);
      expect(ids([...firstB, ...second])).to.deep.equal(ids(b));
      for (const m of [...second, ...firstA]) await queue.acknowledge(m);

      const rest = await receiveUntil(queue, (all) => firstA.length + all.length >= a.length);
      expect(ids([...firstA, ...rest])).to.deep.equal(ids(a));
    });

    it('redelivers an unacknowledged message after the visibility timeout, counting the receive', async () => {
      const queue = await fresh({ visibilityTimeoutSeconds: 1 });
      const sent = message();
      await queue.send([sent]);
      const [first] = await queue.receive({ maxMessages: 1, waitSeconds: 2 });
      expect(first).to.include({ id: sent.id, receiveCount: 1 });

      const [again] = await receiveUntil(queue, (all) => all.length > 0, { acknowledge: false });
      expect(again).to.include({ id: sent.id, receiveCount: 2 });
      expect(again?.receipt).to.not.equal(first?.receipt);

      // The first receipt is stale now: acting on it touches nothing.
      await queue.acknowledge(first as ReceivedMessage);
      await queue.release(first as ReceivedMessage, 0);
      await queue.deadLetter(first as ReceivedMessage, 'stale');
      expect(await queue.depth()).to.deep.equal({ ready: 0, inFlight: 1, deadLetters: 0 });
      await queue.acknowledge(again as ReceivedMessage);
      expect(await queue.depth()).to.deep.equal({ ready: 0, inFlight: 0, deadLetters: 0 });
    });

    it('release hides the message for the delay, then delivers it again', async () => {
      const queue = await fresh();
      const sent = message();
      await queue.send([sent]);
      const [got] = await queue.receive({ maxMessages: 1, waitSeconds: 2 });

      await queue.release(got as ReceivedMessage, 2);
      expect(await queue.receive({ maxMessages: 1, waitSeconds: 0 })).to.deep.equal([]);
      const [later] = await receiveUntil(queue, (all) => all.length > 0, { acknowledge: false });
      expect(later).to.include({ id: sent.id, receiveCount: 2 });

      await queue.release(later as ReceivedMessage, 0);
      const [now] = await queue.receive({ maxMessages: 1, waitSeconds: 2 });
      expect(now).to.include({ id: sent.id, receiveCount: 3 });
    });

    it('moves a message to the dead letters instead of delivering it more than maxReceiveCount times', async () => {
      const queue = await fresh({ visibilityTimeoutSeconds: 1, maxReceiveCount: 2 });
      const sent = message(undefined, { type: 'OrderPlaced' });
      await queue.send([sent]);

      const deliveries: number[] = [];
      for (let round = 0; round < 12; round += 1) {
        const batch = await queue.receive({ maxMessages: 1, waitSeconds: 1 });
        deliveries.push(...batch.map((m) => m.receiveCount));
        if (batch.length === 0 && (await queue.depth()).deadLetters > 0) break;
      }
      expect(deliveries).to.deep.equal([1, 2]);
      const [dead] = await queue.listDeadLetters();
      expect(dead).to.include({
        id: sent.id,
        groupId: sent.groupId,
        body: sent.body,
        receiveCount: 2,
      });
      expect(dead?.reason).to.match(/exceeded max receive count/);
      expect(dead?.attributes).to.deep.equal(sent.attributes);
      expect(await queue.depth()).to.deep.equal({ ready: 0, inFlight: 0, deadLetters: 1 });
    });

    it('dead-letters a message at once with the reason given', async () => {
      const queue = await fresh();
      const sent = message(undefined, { type: 'OrderPlaced' });
      await queue.send([sent]);
      const [got] = await queue.receive({ maxMessages: 1, waitSeconds: 2 });

      await queue.deadLetter(got as ReceivedMessage, 'unknown product p-1');
      const dead = await queue.listDeadLetters();
      expect(dead).to.have.length(1);
      expect(dead[0]).to.include({ id: sent.id, groupId: sent.groupId, body: sent.body });
      expect(dead[0]).to.include({ reason: 'unknown product p-1', receiveCount: 1 });
      expect(dead[0]?.attributes).to.deep.equal(sent.attributes);
      expect(dead[0]?.deadLetteredAt).to.be.instanceOf(Date);
      expect(Number.isNaN(dead[0]?.deadLetteredAt.getTime())).to.equal(false);
      expect(await queue.receive({ maxMessages: 1, waitSeconds: 0 })).to.deep.equal([]);
      expect(await queue.depth()).to.deep.equal({ ready: 0, inFlight: 0, deadLetters: 1 });
    });

    it('lists dead letters and redrives the named ones, then all, with the receive count reset', async () => {
      const queue = await fresh();
      const sent = [message(), message(), message()];
      await queue.send(sent);
      const received = await receiveUntil(queue, (all) => all.length >= 3, { acknowledge: false });
      for (const m of received) await queue.deadLetter(m, 'poison');
      expect(ids(await queue.listDeadLetters())).to.have.members(ids(sent));
      expect(await queue.listDeadLetters(2)).to.have.length(2);

      const [one, two, three] = ids(sent) as [string, string, string];
      expect(await queue.redrive([two])).to.equal(1);
      expect(ids(await queue.listDeadLetters())).to.have.members([one, three]);
      const back = await receiveUntil(queue, (all) => all.length > 0);
      expect(back.map((m) => [m.id, m.receiveCount])).to.deep.equal([[two, 1]]);

      expect(await queue.redrive()).to.equal(2);
      expect(await queue.listDeadLetters()).to.deep.equal([]);
      const rest = await receiveUntil(queue, (all) => all.length >= 2);
      expect(ids(rest)).to.have.members([one, three]);
      expect(rest.map((m) => m.receiveCount)).to.deep.equal([1, 1]);
      expect(await queue.depth()).to.deep.equal({ ready: 0, inFlight: 0, deadLetters: 0 });
    });

    it('reports depth as ready, in flight and dead letters', async () => {
      const queue = await fresh();
      await queue.send([message(), message(), message()]);
      expect(await queue.depth()).to.deep.equal({ ready: 3, inFlight: 0, deadLetters: 0 });

      const [got] = await queue.receive({ maxMessages: 1, waitSeconds: 2 });
      expect(await queue.depth()).to.deep.equal({ ready: 2, inFlight: 1, deadLetters: 0 });
      await queue.deadLetter(got as ReceivedMessage, 'poison');
      expect(await queue.depth()).to.deep.equal({ ready: 2, inFlight: 0, deadLetters: 1 });
    });

    it('a long poll with nothing to receive returns empty once the wait is over', async () => {
      const queue = await fresh();
      expect(await queue.receive({ maxMessages: 10, waitSeconds: 1 })).to.deep.equal([]);
      await queue.ping();
    });

    it('a long poll returns a message sent while it waits', async () => {
      const queue = await fresh();
      const sent = message();
      const polling = queue.receive({ maxMessages: 10, waitSeconds: 5 });
      await wait(100);
      await queue.send([sent]);
      expect(ids(await polling)).to.deep.equal([sent.id]);
    });
  });
};
