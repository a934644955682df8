import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type {
  EventStore,
  NewEvent,
  RecordedEvent,
  Subscription,
} from '../../src/application/ports/eventStore.js';
import { ConcurrencyError } from '../../src/domain/shared/errors.js';

/**
 * One suite for every EventStore adapter. The log may be shared and non-empty (a real
 * EventStoreDB), so each test uses fresh streams and types, and positions are only compared,
 * never assumed to start anywhere or to be consecutive.
 */

export type OpenEventStore = () => Promise<{ store: EventStore; cleanup: () => Promise<void> }>;

export const newEvent = (type = 'ContractTested', data: unknown = {}): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: { userId: 'contract', correlationId: randomUUID(), schemaVersion: 1 },
});

export const freshStream = (prefix = 'contract') => `${prefix}-${randomUUID()}`;

/** A type no other test uses, so a subscription sees only this test's events. */
export const freshType = () => `ContractTested${randomUUID().replaceAll('-', '')}`;

/** Bounded polling: waits for a condition, never for a fixed time. */
export const eventually = async (condition: () => boolean, what: string, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

const rejectionOf = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected a rejection');
};

export const expectConcurrencyError = async (promise: Promise<unknown>, streamId: string) => {
  const error = await rejectionOf(promise);
  expect(error).to.be.instanceOf(ConcurrencyError);
  expect((error as ConcurrencyError).streamId).to.equal(streamId);
};

const ids = (events: readonly { id: string }[]) => events.map((event) => event.id);
const positions = (events: readonly RecordedEvent[]) => events.map((event) => event.position);

const expectStrictlyIncreasing = (values: readonly number[]) => {
  values.slice(1).forEach((value, i) => expect(value).to.be.greaterThan(values[i] as number));
};

/** Collects what a subscription delivers, for tests to wait on. */
const collector = () => {
  const received: RecordedEvent[] = [];
  const caughtUp: (number | undefined)[] = [];
  return {
    received,
    caughtUp,
    onEvent: async (event: RecordedEvent) => {
      received.push(event);
    },
    onCaughtUp: (position: number | undefined) => {
      caughtUp.push(position);
    },
  };
};

export const eventStoreContract = (adapterName: string, open: OpenEventStore) =>
  describe(`EventStore contract: ${adapterName}`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;
    const subscriptions: Subscription[] = [];

    beforeEach(async () => {
      ({ store, cleanup } = await open());
    });

    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
      await cleanup();
    });

    /** What an append's result says about the time of the event read back as `last`. */
    const stampOf = (last: RecordedEvent | undefined) => ({ recordedAt: last?.recordedAt });

    const subscribe = (...args: Parameters<EventStore['subscribe']>) => {
      const subscription = store.subscribe(...args);
      subscriptions.push(subscription);
      return subscription;
    };

    describe('append and read a stream', () => {
      it('given a new stream, when events are appended, then they read back in order with data and metadata', async () => {
        const streamId = freshStream();
        const appended = [
          newEvent('ContractStarted', { n: 1, nested: { list: [1, 'two', null] } }),
          newEvent('ContractContinued', { n: 2 }),
        ];

        const result = await store.append(streamId, appended, 'no_stream');

        const read = await store.readStream(streamId);
        expect(ids(read)).to.deep.equal(ids(appended));
        expect(read.map((event) => event.revision)).to.deep.equal([0, 1]);
        expect(read.map((event) => event.type)).to.deep.equal([
          'ContractStarted',
          'ContractContinued',
        ]);
        expect(read.map((event) => event.data)).to.deep.equal(appended.map((event) => event.data));
        expect(read.map((event) => event.metadata)).to.deep.equal(
          appended.map((event) => event.metadata),
        );
        expect(read.every((event) => event.streamId === streamId)).to.equal(true);
        expect(read.every((event) => event.recordedAt instanceof Date)).to.equal(true);
        expectStrictlyIncreasing(positions(read));
        expect(result).to.deep.equal({
          nextRevision: 1,
          position: read[1]?.position,
          ...stampOf(read[1]),
        });
      });

      it('given appends to several streams at once, when each completes, then its result names its own last event', async () => {
        const streams = Array.from({ length: 8 }, () => freshStream());

        const results = await Promise.all(
          streams.map((streamId) => store.append(streamId, [newEvent(), newEvent()], 'no_stream')),
        );

        for (const [index, streamId] of streams.entries()) {
          const last = (await store.readStream(streamId)).at(-1);
          expect(results[index]).to.deep.equal({
            nextRevision: 1,
            position: last?.position,
            ...stampOf(last),
          });
        }
      });

      it('given no stream, when it is read, then it is empty', async () => {
        expect(await store.readStream(freshStream())).to.deep.equal([]);
      });

      it('given a stream, when nothing is appended at its revision, then the result is its current revision and nothing is written', async () => {
        const streamId = freshStream();
        const written = await store.append(streamId, [newEvent(), newEvent()], 'no_stream');

        const result = await store.append(streamId, [], 1);

        expect(result).to.deep.equal(written);
        expect(await store.readStream(streamId)).to.have.length(2);
        await expectConcurrencyError(store.append(streamId, [], 0), streamId);
      });
    });

    describe('expected revision', () => {
      it('given no stream, when appending with no_stream, any or stream_exists, then the first two succeed and the last conflicts', async () => {
        const first = freshStream();
        const second = freshStream();
        const third = freshStream();

        expect((await store.append(first, [newEvent()], 'no_stream')).nextRevision).to.equal(0);
        expect((await store.append(second, [newEvent()], 'any')).nextRevision).to.equal(0);
        await expectConcurrencyError(store.append(third, [newEvent()], 'stream_exists'), third);
        expect(await store.readStream(third)).to.deep.equal([]);
      });

      it('given an existing stream, when appending with stream_exists or any, then both succeed', async () => {
        const streamId = freshStream();
        await store.append(streamId, [newEvent()], 'no_stream');

        expect((await store.append(streamId, [newEvent()], 'stream_exists')).nextRevision).to.equal(
          1,
        );
        expect((await store.append(streamId, [newEvent()], 'any')).nextRevision).to.equal(2);
      });

      it('given an existing stream, when appending with no_stream, then it conflicts and writes nothing', async () => {
        const streamId = freshStream();
        await store.append(streamId, [newEvent()], 'no_stream');

        await expectConcurrencyError(store.append(streamId, [newEvent()], 'no_stream'), streamId);
        expect(await store.readStream(streamId)).to.have.length(1);
      });

      it('given a stream at revision 2, when appending at 2, then it succeeds; at 1, 3 or on a missing stream it conflicts', async () => {
        const streamId = freshStream();
        await store.append(streamId, [newEvent(), newEvent(), newEvent()], 'no_stream');

        await expectConcurrencyError(store.append(streamId, [newEvent()], 1), streamId);
        await expectConcurrencyError(store.append(streamId, [newEvent()], 3), streamId);
        const result = await store.append(streamId, [newEvent(), newEvent()], 2);
        const missing = freshStream();
        await expectConcurrencyError(store.append(missing, [newEvent()], 0), missing);

        expect(result.nextRevision).to.equal(4);
        expect((await store.readStream(streamId)).map((event) => event.revision)).to.deep.equal([
          0, 1, 2, 3, 4,
        ]);
      });

      it('given one stream, when ~20 appends race at the same expected revision, then exactly one wins', async () => {
        const streamId = freshStream();
        await store.append(streamId, [newEvent()], 'no_stream');

        const outcomes = await Promise.allSettled(
          Array.from({ length: 20 }, () => store.append(streamId, [newEvent()], 0)),
        );

        const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
        expect(won).to.have.length(1);
        expect(lost.every((outcome) => outcome.reason instanceof ConcurrencyError)).to.equal(true);
        expect(await store.readStream(streamId)).to.have.length(2);
      });
    });

    describe('idempotency', () => {
      it('given events appended at a revision, when the same ids are appended again at that revision, then the first result returns and nothing is added', async () => {
        const streamId = freshStream();
        await store.append(streamId, [newEvent()], 'no_stream');
        const retried = [newEvent(), newEvent()];
        const first = await store.append(streamId, retried, 0);
        await store.append(streamId, [newEvent()], 2);

        const again = await store.append(streamId, retried, 0);

        expect(again).to.deep.equal(first);
        expect(await store.readStream(streamId)).to.have.length(4);
      });

      it('given events appended with no_stream, when they are appended again with no_stream, then the first result returns', async () => {
        const streamId = freshStream();
        const retried = [newEvent(), newEvent()];
        const first = await store.append(streamId, retried, 'no_stream');

        expect(await store.append(streamId, retried, 'no_stream')).to.deep.equal(first);
        expect(await store.readStream(streamId)).to.have.length(2);
      });

      it('given events appended with any, when they are appended again with any, then the first result returns', async () => {
        const streamId = freshStream();
        await store.append(streamId, [newEvent()], 'no_stream');
        const retried = [newEvent()];
        const first = await store.append(streamId, retried, 'any');

        expect(await store.append(streamId, retried, 'any')).to.deep.equal(first);
        expect(await store.readStream(streamId)).to.have.length(2);
      });

      it('given events appended at a revision, when a batch that only starts with the same id is appended there, then it conflicts', async () => {
        const streamId = freshStream();
        const [a, b] = [newEvent(), newEvent()];
        await store.append(streamId, [a, b], 'no_stream');

        await expectConcurrencyError(
          store.append(streamId, [a, newEvent()], 'no_stream'),
          streamId,
        );
        expect(ids(await store.readStream(streamId))).to.deep.equal(ids([a, b]));
      });
    });

    describe('reading a stream by direction, revision and count', () => {
      const fiveEvents = async () => {
        const streamId = freshStream();
        await store.append(
          streamId,
          Array.from({ length: 5 }, () => newEvent()),
          'no_stream',
        );
        return streamId;
      };
      const revisions = (events: readonly RecordedEvent[]) => events.map((event) => event.revision);

      it('given five events, when read backwards, then newest comes first', async () => {
        const streamId = await fiveEvents();

        expect(
          revisions(await store.readStream(streamId, { direction: 'backwards' })),
        ).to.deep.equal([4, 3, 2, 1, 0]);
      });

      it('given five events, when read from a revision with a max count, then the slice starts there inclusively', async () => {
        const streamId = await fiveEvents();

        expect(
          revisions(await store.readStream(streamId, { fromRevision: 2, maxCount: 2 })),
        ).to.deep.equal([2, 3]);
        expect(revisions(await store.readStream(streamId, { fromRevision: 3 }))).to.deep.equal([
          3, 4,
        ]);
        expect(
          revisions(
            await store.readStream(streamId, {
              direction: 'backwards',
              fromRevision: 3,
              maxCount: 2,
            }),
          ),
        ).to.deep.equal([3, 2]);
        expect(revisions(await store.readStream(streamId, { maxCount: 1 }))).to.deep.equal([0]);
      });
    });

    describe('reading the global log', () => {
      it('given events in several streams, when read after a position by stream prefix and type, then only matches come, in ascending positions', async () => {
        const prefix = freshStream('contractall');
        const [wanted, other] = [freshType(), freshType()];
        const before = (await store.headPosition()) ?? 0;
        const a = [newEvent(wanted), newEvent(other), newEvent(wanted)];
        const b = [newEvent(other), newEvent(wanted)];
        const elsewhere = [newEvent(wanted)];
        await store.append(`${prefix}-a`, a, 'no_stream');
        await store.append(freshStream(), elsewhere, 'no_stream');
        await store.append(`${prefix}-b`, b, 'no_stream');

        const byPrefix = await store.readAll({ after: before, streamPrefix: prefix });
        const byType = await store.readAll({ after: before, types: [wanted] });
        const byBoth = await store.readAll({
          after: before,
          streamPrefix: prefix,
          types: [wanted],
        });
        const byTypes = await store.readAll({ after: before, types: [wanted, other], maxCount: 4 });

        expect(ids(byPrefix)).to.deep.equal(ids([...a, ...b]));
        expect(ids(byType)).to.deep.equal(ids([a[0]!, a[2]!, ...elsewhere, b[1]!]));
        expect(ids(byBoth)).to.deep.equal(ids([a[0]!, a[2]!, b[1]!]));
        expect(ids(byTypes)).to.deep.equal(ids([...a, ...elsewhere]));
        [byPrefix, byType, byBoth, byTypes].forEach((page) =>
          expectStrictlyIncreasing(positions(page)),
        );
      });

      it('given events in a stream, when read after one of them, then the page starts just after it', async () => {
        const prefix = freshStream('contractafter');
        const events = [newEvent(), newEvent(), newEvent()];
        await store.append(`${prefix}-s`, events, 'no_stream');
        const all = await store.readAll({ streamPrefix: prefix });

        const rest = await store.readAll({ after: all[0]!.position, streamPrefix: prefix });

        expect(ids(rest)).to.deep.equal(ids(events.slice(1)));
      });

      it('given events, when the log is read backwards by prefix, then newest comes first', async () => {
        const prefix = freshStream('contractback');
        const events = [newEvent(), newEvent(), newEvent()];
        await store.append(`${prefix}-s`, events, 'no_stream');

        const newestFirst = await store.readAll({ direction: 'backwards', streamPrefix: prefix });
        const beforeNewest = await store.readAll({
          direction: 'backwards',
          streamPrefix: prefix,
          after: newestFirst[0]!.position,
          maxCount: 1,
        });

        expect(ids(newestFirst)).to.deep.equal(ids([...events].reverse()));
        expect(ids(beforeNewest)).to.deep.equal([events[1]!.id]);
      });

      it('given appends interleaved across streams, when positions are compared, then they strictly increase in append order and the head is the last', async () => {
        const streams = [freshStream(), freshStream(), freshStream()];
        const results = [];
        for (let round = 0; round < 3; round += 1) {
          for (const streamId of streams) {
            results.push(
              await store.append(streamId, [newEvent()], round === 0 ? 'no_stream' : round - 1),
            );
          }
        }

        expectStrictlyIncreasing(results.map((result) => result.position));
        const head = await store.headPosition();
        expect(head).to.be.at.least(results.at(-1)!.position);
      });
    });

    describe('subscriptions', () => {
      it('given events after a checkpoint, when subscribing, then catch-up then live events arrive in order and onCaughtUp is called', async () => {
        const type = freshType();
        const checkpoint = await store.headPosition();
        const streamId = freshStream();
        const historic = [newEvent(type), newEvent(type), newEvent(type)];
        const historicResult = await store.append(streamId, historic, 'no_stream');
        const seen = collector();

        subscribe({
          after: checkpoint,
          types: [type],
          onEvent: seen.onEvent,
          onCaughtUp: seen.onCaughtUp,
        });
        await eventually(() => seen.caughtUp.length > 0, 'catch-up');
        expect(ids(seen.received)).to.deep.equal(ids(historic));
        expect(seen.caughtUp[0]).to.be.at.least(historicResult.position);

        const live = [newEvent(type), newEvent(type)];
        await store.append(streamId, live.slice(0, 1), 2);
        await store.append(streamId, live.slice(1), 3);
        await eventually(() => seen.received.length === 5, 'live events');

        expect(ids(seen.received)).to.deep.equal(ids([...historic, ...live]));
        expectStrictlyIncreasing(positions(seen.received));
      });

      it('given a subscription stopped at a checkpoint, when resubscribed after it, then delivery resumes with no duplicates and no gaps', async () => {
        const type = freshType();
        const start = await store.headPosition();
        const streamId = freshStream();
        const events = Array.from({ length: 6 }, () => newEvent(type));
        await store.append(streamId, events, 'no_stream');
        const firstRun: RecordedEvent[] = [];
        let stopping: Promise<void> | undefined;
        const first: Subscription = subscribe({
          after: start,
          types: [type],
          onEvent: async (event) => {
            firstRun.push(event);
            // Not awaited here: stop() waits for this very handler.
            if (firstRun.length === 3) stopping = first.stop();
          },
        });
        await eventually(() => stopping !== undefined, 'the first run to stop');
        await stopping;
        await first.done;
        const checkpoint = firstRun.at(-1)!.position;
        const later = [newEvent(type), newEvent(type)];
        await store.append(streamId, later, 5);

        const seen = collector();
        subscribe({ after: checkpoint, types: [type], onEvent: seen.onEvent });
        const total = events.length + later.length;
        await eventually(() => firstRun.length + seen.received.length === total, 'the rest');

        expect(ids([...firstRun, ...seen.received])).to.deep.equal(ids([...events, ...later]));
      });

      it('given a handler still running, when stop is called, then stop waits for it to finish', async () => {
        const type = freshType();
        const checkpoint = await store.headPosition();
        await store.append(freshStream(), [newEvent(type), newEvent(type)], 'no_stream');
        let release = () => {};
        const released = new Promise<void>((resolve) => (release = resolve));
        let started = 0;
        let finished = 0;
        const subscription = subscribe({
          after: checkpoint,
          types: [type],
          onEvent: async () => {
            started += 1;
            await released;
            finished += 1;
          },
        });
        await eventually(() => started === 1, 'the handler to start');

        let stopped = false;
        const stopping = subscription.stop().then(() => (stopped = true));
        for (let tick = 0; tick < 10; tick += 1)
          await new Promise((resolve) => setImmediate(resolve));
        expect(stopped).to.equal(false);
        release();
        await stopping;

        expect(finished).to.equal(1);
        expect(started).to.equal(1);
        await subscription.done;
      });

      it('given a handler that throws, when an event arrives, then done rejects with its error and delivery stops', async () => {
        const type = freshType();
        const checkpoint = await store.headPosition();
        const streamId = freshStream();
        await store.append(streamId, [newEvent(type), newEvent(type)], 'no_stream');
        const failure = new Error('handler failed');
        let calls = 0;

        const subscription = subscribe({
          after: checkpoint,
          types: [type],
          onEvent: async () => {
            calls += 1;
            throw failure;
          },
        });

        expect(await rejectionOf(subscription.done)).to.equal(failure);
        expect(calls).to.equal(1);
        await subscription.stop();
      });

      it('given nothing new after the checkpoint, when subscribing, then onCaughtUp is called and no event arrives', async () => {
        const seen = collector();

        subscribe({
          after: await store.headPosition(),
          types: [freshType()],
          onEvent: seen.onEvent,
          onCaughtUp: seen.onCaughtUp,
        });
        await eventually(() => seen.caughtUp.length > 0, 'catch-up');

        expect(seen.received).to.deep.equal([]);
      });
    });
  });
