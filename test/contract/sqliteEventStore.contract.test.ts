import Database from 'better-sqlite3';
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EventStore } from '../../src/application/ports/eventStore.js';
import { createSqliteEventStore } from '../../src/infrastructure/eventStore/index.js';
import {
  eventStoreContract,
  eventually,
  expectConcurrencyError,
  freshStream,
  freshType,
  newEvent,
} from './eventStore.contract.js';

const tempPath = () => join(tmpdir(), `event-store-${randomUUID()}.db`);

const removeDatabase = async (path: string) => {
  await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(`${path}${suffix}`, { force: true })));
};

eventStoreContract('SQLite', async () => {
  const path = tempPath();
  const store = createSqliteEventStore({ path });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await removeDatabase(path);
    },
  };
});

const storeModule = new URL('../../src/infrastructure/eventStore/index.ts', import.meta.url).href;

// Another process, as a role would be: it shares nothing with this one but the file.
const appendFromAnotherProcess = async (
  path: string,
  streamId: string,
  type: string,
  count: number,
) => {
  const script = `
    const [moduleUrl, path, streamId, type, count] = process.argv.slice(1);
    const { createSqliteEventStore } = await import(moduleUrl);
    const store = createSqliteEventStore({ path });
    for (let i = 0; i < Number(count); i += 1) {
      const event = { id: crypto.randomUUID(), type, data: { i }, metadata: { userId: 'child' } };
      await store.append(streamId, [event], i === 0 ? 'no_stream' : i - 1);
    }
    await store.close();
  `;
  await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      script,
      storeModule,
      path,
      streamId,
      type,
      String(count),
    ],
    { cwd: process.cwd() },
  );
};

describe('SQLite event store', () => {
  let path: string;
  const opened: EventStore[] = [];
  const open = (options: { pollIntervalMs?: number } = {}) => {
    const store = createSqliteEventStore({ path, ...options });
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    path = tempPath();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await removeDatabase(path);
  });

  it('given a new file, when the first event is appended, then the log was empty and positions start at 1', async () => {
    const store = open();
    expect(await store.headPosition()).to.equal(undefined);

    const result = await store.append(freshStream(), [newEvent()], 'no_stream');

    expect(result.position).to.equal(1);
    expect(await store.readAll({ after: 0 })).to.have.length(1);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).to.equal('wal');
    db.close();
  });

  it('given many appends requested at once, when the store is closed right away, then every one is committed first and readable by the next store', async () => {
    const store = createSqliteEventStore({ path });
    const streams = Array.from({ length: 300 }, () => freshStream());
    const appends = streams.map((streamId) => store.append(streamId, [newEvent()], 'no_stream'));
    await store.close();
    const results = await Promise.all(appends);
    expect(new Set(results.map((result) => result.position)).size).to.equal(300);
    const reopened = open();
    expect(await reopened.readAll({ after: 0 })).to.have.length(300);
  });

  it('given a file the writer cannot write, when events are appended, then the append fails with the reason and reads go on', async () => {
    const store = open();
    await store.append(freshStream(), [newEvent()], 'no_stream');
    // Another connection holds the write lock for longer than the writer waits (busy_timeout).
    const locker = new Database(path);
    locker.pragma('busy_timeout = 0');
    locker.exec('BEGIN IMMEDIATE');
    try {
      const failure = await store.append(freshStream(), [newEvent()], 'no_stream').then(
        () => undefined,
        (error: unknown) => error as Error & { code?: string },
      );
      expect(failure?.code).to.equal('SQLITE_BUSY');
      expect(await store.readAll({ after: 0 })).to.have.length(1);
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
    await store.append(freshStream(), [newEvent()], 'no_stream');
    expect(await store.readAll({ after: 0 })).to.have.length(2);
  }).timeout(30_000);

  it('given an event id in one stream, when it is appended to another stream, then it conflicts', async () => {
    const store = open();
    const event = newEvent();
    await store.append(freshStream(), [event], 'no_stream');
    const other = freshStream();

    await expectConcurrencyError(store.append(other, [event], 'no_stream'), other);
    expect(await store.readStream(other)).to.deep.equal([]);
  });

  it('given events in a stream, when the same ids are appended where the expectation holds, then it conflicts rather than duplicating them', async () => {
    const store = open();
    const streamId = freshStream();
    const events = [newEvent(), newEvent()];
    await store.append(streamId, events, 'no_stream');

    await expectConcurrencyError(store.append(streamId, events, 1), streamId);
    expect(await store.readStream(streamId)).to.have.length(2);
  });

  it('given a subscriber on one store, when another process appends to the same file, then polling delivers the events', async () => {
    const subscriber = open({ pollIntervalMs: 20 });
    const type = freshType();
    const streamId = freshStream();
    const received: string[] = [];
    let caughtUp = false;
    subscriber.subscribe({
      after: await subscriber.headPosition(),
      types: [type],
      onEvent: async (event) => {
        received.push(event.streamId);
      },
      onCaughtUp: () => (caughtUp = true),
    });
    await eventually(() => caughtUp, 'catch-up');

    await appendFromAnotherProcess(path, streamId, type, 3);

    await eventually(() => received.length === 3, 'events from the other process');
    expect(received).to.deep.equal([streamId, streamId, streamId]);
  });

  it('given two stores on one file in one process, when one appends, then the other wakes without waiting for a poll', async () => {
    // A poll far longer than the wait below: only the in-process notifier can deliver in time.
    const subscriber = open({ pollIntervalMs: 10 * 60_000 });
    const writer = open();
    const type = freshType();
    const received: string[] = [];
    let caughtUp = false;
    subscriber.subscribe({
      after: await subscriber.headPosition(),
      types: [type],
      onEvent: async (event) => {
        received.push(event.id);
      },
      onCaughtUp: () => (caughtUp = true),
    });
    await eventually(() => caughtUp, 'catch-up');

    const event = newEvent(type);
    await writer.append(freshStream(), [event], 'no_stream');

    await eventually(() => received.length === 1, 'the notified event');
    expect(received).to.deep.equal([event.id]);
  });

  it('given appended events, when the store is closed and reopened, then they are all there and positions go on increasing', async () => {
    const first = open();
    const streamId = freshStream();
    const events = [newEvent('Kept', { n: 1 }), newEvent('Kept', { n: 2 })];
    const written = await first.append(streamId, events, 'no_stream');
    await first.close();

    const reopened = open();
    const read = await reopened.readStream(streamId);
    const next = await reopened.append(streamId, [newEvent()], 1);

    expect(read.map((event) => event.id)).to.deep.equal(events.map((event) => event.id));
    expect(read.map((event) => event.data)).to.deep.equal([{ n: 1 }, { n: 2 }]);
    expect(next.position).to.be.greaterThan(written.position);
  });

  it('given the newest event was deleted by hand, when another is appended, then its position is not reused', async () => {
    const store = open();
    const { position } = await store.append(freshStream(), [newEvent()], 'no_stream');
    await store.close();
    const db = new Database(path);
    db.prepare('DELETE FROM events WHERE position = ?').run(position);
    db.close();

    const next = await open().append(freshStream(), [newEvent()], 'no_stream');

    expect(next.position).to.be.greaterThan(position);
  });

  it('given more history than one catch-up page, when subscribing by type, then every match arrives once, in order', async () => {
    const store = open();
    const [wanted, other] = [freshType(), freshType()];
    const streamId = freshStream();
    const events = Array.from({ length: 1300 }, (_, i) => newEvent(i % 3 === 0 ? other : wanted));
    await store.append(streamId, events, 'no_stream');
    const received: string[] = [];
    let caughtUp: number | undefined;

    store.subscribe({
      types: [wanted],
      onEvent: async (event) => {
        received.push(event.id);
      },
      onCaughtUp: (position) => (caughtUp = position),
    });
    await eventually(() => caughtUp !== undefined, 'catch-up');

    const expected = events.filter((event) => event.type === wanted).map((event) => event.id);
    expect(received).to.deep.equal(expected);
    expect(caughtUp).to.equal(await store.headPosition());
  });

  it('given a live subscription, when the store closes, then the subscription ends', async () => {
    const store = open();
    let caughtUp = false;
    const subscription = store.subscribe({
      onEvent: async () => {},
      onCaughtUp: () => (caughtUp = true),
    });
    await eventually(() => caughtUp, 'catch-up');

    await store.close();

    await subscription.done;
  });
});
