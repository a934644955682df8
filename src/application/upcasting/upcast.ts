import { schemaVersionOf } from '../messageContext.js';
import type { EventMetadata, RecordedEvent } from '../ports/index.js';

/**
 * Turns one event type's data from `fromVersion` into `fromVersion + 1`. Upcasters change data
 * only, never the type: type filters are pushed down to the store and must keep meaning the same.
 */
export type Upcaster = (data: unknown, metadata: EventMetadata) => unknown;

/** `{ [type]: { [fromVersion]: upcaster } }`; a version with no entry for a type leaves its data as it was. */
export type UpcasterRegistry = Readonly<Record<string, Readonly<Record<number, Upcaster>>>>;

/** Events written before versions were recorded carry none: they are version 0, the legacy shape. */
export const storedSchemaVersion = (metadata: EventMetadata): number => {
  const version = metadata.schemaVersion;
  return typeof version === 'number' && Number.isSafeInteger(version) && version >= 0 ? version : 0;
};

export class UpcastFailed extends Error {
  constructor(event: RecordedEvent, fromVersion: number, cause: unknown) {
    super(
      `cannot upcast ${event.type} ${event.id} (position ${event.position}) from schema version ${fromVersion}: ` +
        (cause instanceof Error ? cause.message : String(cause)),
      { cause },
    );
    this.name = 'UpcastFailed';
  }
}

/**
 * Brings an event to `current` (by default its type's version) by chaining its type's upcasters one version at a time. The
 * current-version path returns the very same object, so reads of new events cost one comparison.
 * Events from a newer writer (a rolling deploy) pass unchanged: there is nothing to downcast with.
 * `upcastFrom` keeps the stored version visible, so an auditor can tell an upcast from a record.
 */
export const upcast = (
  event: RecordedEvent,
  registry: UpcasterRegistry,
  current: number = schemaVersionOf(event.type),
): RecordedEvent => {
  const stored = storedSchemaVersion(event.metadata);
  if (stored >= current) return event;
  const steps = Object.hasOwn(registry, event.type) ? registry[event.type] : undefined;
  let data = event.data;
  for (let version = stored; version < current; version += 1) {
    const step = steps && Object.hasOwn(steps, version) ? steps[version] : undefined;
    if (!step) continue;
    try {
      data = step(data, event.metadata);
    } catch (error) {
      throw new UpcastFailed(event, version, error);
    }
  }
  return {
    ...event,
    data,
    metadata: { ...event.metadata, schemaVersion: current, upcastFrom: stored },
  };
};
