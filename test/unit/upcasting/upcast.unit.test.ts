import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { EventMetadata, RecordedEvent } from '../../../src/application/ports/index.js';
import { CURRENT_SCHEMA_VERSION } from '../../../src/application/messageContext.js';
import { UpcastFailed, upcast } from '../../../src/application/upcasting/index.js';
import type { UpcasterRegistry } from '../../../src/application/upcasting/index.js';

const recorded = (type: string, data: unknown, metadata: EventMetadata = {}): RecordedEvent => ({
  id: randomUUID(),
  type,
  data,
  streamId: `thing-${randomUUID()}`,
  revision: 0,
  position: 7,
  recordedAt: new Date('2024-05-01T10:00:00Z'),
  metadata,
});

/** A type that was renamed a field at v1 and gained a default at v2. */
const registry: UpcasterRegistry = {
  ThingHappened: {
    0: (data) => {
      const { colour, ...rest } = data as { colour: string };
      return { ...rest, color: colour };
    },
    1: (data) => ({ size: 'M', ...(data as object) }),
  },
};

describe('upcast: bringing stored events to the current schema', () => {
  it('given an event without a schemaVersion, when upcast to v2, then every step runs in order and the stored version is kept', () => {
    const event = recorded('ThingHappened', { colour: 'red' }, { userId: 'u1' });
    const current = upcast(event, registry, 2);
    expect(current.data).to.deep.equal({ size: 'M', color: 'red' });
    expect(current.metadata).to.deep.equal({ userId: 'u1', schemaVersion: 2, upcastFrom: 0 });
    expect(event.data).to.deep.equal({ colour: 'red' });
  });

  it('given a v1 event, when upcast to v2, then only the steps from v1 run', () => {
    const current = upcast(
      recorded('ThingHappened', { color: 'blue', size: 'L' }, { schemaVersion: 1 }),
      registry,
      2,
    );
    expect(current.data).to.deep.equal({ color: 'blue', size: 'L' });
  });

  it('given an event at the current version, when upcast, then the very same object comes back', () => {
    const event = recorded(
      'ThingHappened',
      { colour: 'red' },
      { schemaVersion: CURRENT_SCHEMA_VERSION },
    );
    expect(upcast(event, registry)).to.equal(event);
  });

  it('given an event from a newer writer, when upcast, then it passes unchanged', () => {
    const event = recorded('ThingHappened', { hue: 3 }, { schemaVersion: 9 });
    expect(upcast(event, registry, 2)).to.equal(event);
  });

  it('given a type with no upcasters, when upcast, then its data is kept and its version raised', () => {
    const current = upcast(recorded('OtherThing', { a: 1 }), registry, 2);
    expect(current.data).to.deep.equal({ a: 1 });
    expect(current.metadata.schemaVersion).to.equal(2);
  });

  it('given a type named like an Object member, when upcast, then the prototype is never taken for an upcaster', () => {
    expect(upcast(recorded('constructor', { a: 1 }), registry, 2).data).to.deep.equal({ a: 1 });
    expect(upcast(recorded('toString', { a: 1 }), registry, 2).data).to.deep.equal({ a: 1 });
  });

  it('given a malformed version, when upcast, then it counts as the legacy version 0', () => {
    const current = upcast(
      recorded('ThingHappened', { colour: 'red' }, { schemaVersion: 'one' as unknown as number }),
      registry,
      1,
    );
    expect(current.data).to.deep.equal({ color: 'red' });
  });

  it('given an upcaster that throws, when upcast, then the error names the event and the version', () => {
    const failing: UpcasterRegistry = {
      ThingHappened: {
        0: () => {
          throw new TypeError('bad shape');
        },
      },
    };
    const event = recorded('ThingHappened', {});
    expect(() => upcast(event, failing, 1))
      .to.throw(UpcastFailed)
      .with.property('message')
      .that.contains(event.id)
      .and.contains('schema version 0')
      .and.contains('bad shape');
  });
});
