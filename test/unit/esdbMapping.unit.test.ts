import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type MetadataType,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { expect } from 'chai';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { ExpectedRevision, NewEvent } from '../../src/application/ports/eventStore.js';
import { ConcurrencyError } from '../../src/domain/shared/errors.js';
import {
  NON_SYSTEM_TYPES,
  assertAppendable,
  countOf,
  exactTypesRegex,
  fromWrongExpectedVersion,
  holds,
  isSystemEvent,
  matches,
  positionOf,
  toEsdbExpectedRevision,
  toEsdbPosition,
  toEventData,
  toPortPosition,
  toRecordedEvent,
} from '../../src/infrastructure/eventStore/esdbMapping.js';

const created = new Date('2024-05-01T12:00:00.000Z');

const allStreamEvent = (
  overrides: Partial<{
    type: string;
    streamId: string;
    metadata: MetadataType;
    commit: bigint;
  }> = {},
): AllStreamResolvedEvent => {
  const commit = overrides.commit ?? 4242n;
  return {
    event: {
      streamId: overrides.streamId ?? 'order-1',
      id: '0b8f4c52-5a7e-4f55-9a55-2f1d2b0f7c11',
      isJson: true,
      revision: 7n,
      type: overrides.type ?? 'OrderPlaced',
      created,
      data: { orderId: '1', items: [{ productId: 'p', quantity: 2 }] },
      metadata: overrides.metadata ?? { userId: 'u-1', schemaVersion: 1 },
      position: { commit, prepare: commit },
    },
    commitPosition: commit,
  };
};

const newEvent = (id: string = randomUUID()): NewEvent => ({
  id,
  type: 'OrderPlaced',
  data: { n: 1 },
  metadata: { userId: 'u-1' },
});

describe('EventStoreDB mapping', () => {
  describe('expected revision', () => {
    for (const [expected, esdb] of [
      ['no_stream', NO_STREAM],
      ['stream_exists', STREAM_EXISTS],
      ['any', ANY],
      [-1, NO_STREAM],
      [0, 0n],
      [41, 41n],
    ] as const) {
      it(`maps ${JSON.stringify(expected)} to ${String(esdb)}`, () => {
        expect(toEsdbExpectedRevision(expected)).to.equal(esdb);
      });
    }

    for (const bad of [-2, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) {
      it(`refuses ${bad}`, () => {
        expect(() => toEsdbExpectedRevision(bad)).to.throw(RangeError);
      });
    }

    it('given a stream at a revision, then each expectation holds exactly as the port says', () => {
      const table: [ExpectedRevision, number, boolean][] = [
        ['any', -1, true],
        ['any', 3, true],
        ['no_stream', -1, true],
        ['no_stream', 0, false],
        ['stream_exists', -1, false],
        ['stream_exists', 0, true],
        [2, 2, true],
        [2, 3, false],
        [0, -1, false],
      ];
      for (const [expected, current, result] of table) {
        expect(holds(expected, current), `${expected} at ${current}`).to.equal(result);
      }
    });
  });

  describe('WrongExpectedVersionError', () => {
    it('becomes a ConcurrencyError naming the stream, the expectation and the current revision', () => {
      const error = new WrongExpectedVersionError(undefined, {
        streamName: 'order-1',
        expected: 1n,
        current: 3n,
      });

      const mapped = fromWrongExpectedVersion('order-1', 1, error);

      expect(mapped).to.be.instanceOf(ConcurrencyError);
      expect([mapped.streamId, mapped.expected, mapped.actual]).to.deep.equal([
        'order-1',
        '1',
        '3',
      ]);
    });

    for (const current of ['no_stream', -1n] as const) {
      it(`reports a missing stream (${String(current)}) as no_stream`, () => {
        const error = new WrongExpectedVersionError(undefined, {
          streamName: 'order-2',
          expected: STREAM_EXISTS,
          current,
        });

        const mapped = fromWrongExpectedVersion('order-2', 'stream_exists', error);

        expect([mapped.expected, mapped.actual]).to.deep.equal(['stream_exists', 'no_stream']);
      });
    }
  });

  describe('positions', () => {
    it('round-trips every safe non-negative integer, with commit and prepare equal', () => {
      fc.assert(
        fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), (position) => {
          const esdb = toEsdbPosition(position);
          expect(esdb.prepare).to.equal(esdb.commit);
          expect(toPortPosition(esdb.commit)).to.equal(position);
        }),
      );
    });

    it('refuses positions a number cannot hold exactly, and ones that name no record', () => {
      expect(() => toPortPosition(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).to.throw(RangeError);
      expect(() => toPortPosition(-1n)).to.throw(RangeError);
      for (const bad of [-1, 1.5, Number.NaN]) {
        expect(() => toEsdbPosition(bad)).to.throw(RangeError);
      }
    });

    it('takes the event record position first, then the resolved commit position; zero is none', () => {
      expect(positionOf(allStreamEvent({ commit: 99n }))).to.equal(99);
      expect(positionOf({ commitPosition: 12n })).to.equal(12);
      expect(positionOf({})).to.equal(undefined);
      expect(positionOf(allStreamEvent({ commit: 0n }))).to.equal(undefined);
    });
  });

  describe('recorded events', () => {
    it('given a resolved $all event, then every envelope field maps over', () => {
      expect(toRecordedEvent(allStreamEvent())).to.deep.equal({
        id: '0b8f4c52-5a7e-4f55-9a55-2f1d2b0f7c11',
        type: 'OrderPlaced',
        data: { orderId: '1', items: [{ productId: 'p', quantity: 2 }] },
        streamId: 'order-1',
        revision: 7,
        position: 4242,
        recordedAt: created,
        metadata: { userId: 'u-1', schemaVersion: 1 },
      });
    });

    it('given a stream read from a server before 22.6 (zero positions), then it refuses rather than guess', () => {
      const resolved: ResolvedEvent = {
        event: { ...allStreamEvent().event!, position: { commit: 0n, prepare: 0n } },
      };
      expect(() => toRecordedEvent(resolved)).to.throw(/22\.6/);
    });

    it('given metadata that is missing or not a JSON object, then it reads as empty', () => {
      const odd: (MetadataType | undefined)[] = [undefined, new Uint8Array([1, 2]), ['a'], 'text'];
      for (const metadata of odd) {
        const resolved = allStreamEvent();
        resolved.event!.metadata = metadata;
        expect(toRecordedEvent(resolved).metadata).to.deep.equal({});
      }
    });

    it('given a new event, then it becomes JSON event data with its id, type and metadata', () => {
      const event = newEvent();

      expect(toEventData(event)).to.deep.equal({
        id: event.id,
        contentType: 'application/json',
        type: 'OrderPlaced',
        data: { n: 1 },
        metadata: { userId: 'u-1' },
      });
      expect(toEventData({ ...event, data: undefined }).data).to.equal(null);
    });
  });

  describe('appends', () => {
    it('accepts lowercase UUID ids and refuses others, repeats and bad revisions', () => {
      expect(() => assertAppendable([newEvent(), newEvent()], 0)).not.to.throw();
      expect(() => assertAppendable([newEvent(randomUUID().toUpperCase())], 'any')).to.throw(
        RangeError,
      );
      expect(() => assertAppendable([newEvent('order-1-placed')], 'any')).to.throw(RangeError);
      const twice = newEvent();
      expect(() => assertAppendable([twice, twice], 'any')).to.throw(RangeError);
      expect(() => assertAppendable([], -5)).to.throw(RangeError);
    });
  });

  describe('filters', () => {
    it('given types with regex metacharacters, then the server regex matches exactly those types', () => {
      const regex = new RegExp(exactTypesRegex(['Order.Placed', 'Stock(Reserved)+', 'A|B']));

      for (const type of ['Order.Placed', 'Stock(Reserved)+', 'A|B']) {
        expect(regex.test(type), type).to.equal(true);
      }
      for (const type of ['OrderXPlaced', 'Order.PlacedV2', 'StockReserved', 'A', 'B', '']) {
        expect(regex.test(type), type).to.equal(false);
      }
    });

    it('given no types, then the server regex keeps every type but system ones', () => {
      const regex = new RegExp(NON_SYSTEM_TYPES);

      expect(regex.test('OrderPlaced')).to.equal(true);
      expect(regex.test('$>')).to.equal(false);
      expect(regex.test('$metadata')).to.equal(false);
    });

    it('skips system events by type or by stream, then applies types and stream prefix', () => {
      expect(isSystemEvent({ type: '$>', streamId: '$ce-order' })).to.equal(true);
      expect(isSystemEvent({ type: 'Result', streamId: '$projections-x-result' })).to.equal(true);
      expect(isSystemEvent({ type: 'OrderPlaced', streamId: 'order-1' })).to.equal(false);

      const event = toRecordedEvent(allStreamEvent());
      expect(matches(event, {})).to.equal(true);
      expect(matches(event, { types: ['OrderPlaced'], streamPrefix: 'order-' })).to.equal(true);
      expect(matches(event, { types: ['OrderFailed'] })).to.equal(false);
      expect(matches(event, { types: [] })).to.equal(false);
      expect(matches(event, { streamPrefix: 'product-' })).to.equal(false);
      const system = toRecordedEvent(allStreamEvent({ type: '$>', streamId: '$ce-order' }));
      expect(matches(system, {})).to.equal(false);
    });

    it('counts: undefined takes the default; negative or fractional is refused', () => {
      expect(countOf(undefined, 1000)).to.equal(1000);
      expect(countOf(0, 1000)).to.equal(0);
      expect(() => countOf(-1, 1000)).to.throw(RangeError);
      expect(() => countOf(1.5, 1000)).to.throw(RangeError);
    });
  });
});
