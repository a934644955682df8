import { parse, v5 as uuidv5 } from 'uuid';

/** Namespace for ids derived from other ids (fixed forever: changing it changes every derived id). */
const NAMESPACE = parse('6f1c3f0e-8f5b-4d8e-9a53-2f0c6b7d9e41');

/**
 * A UUID that is the same every time for the same parts: retries and redeliveries append nothing
 * new. The name goes in as UTF-8 bytes and the namespace parsed once (the same id as passing both
 * as strings, without encoding and parsing them again on every call: the processor derives several
 * per order).
 */
export const deterministicId = (...parts: readonly (string | number)[]): string =>
  uuidv5(Buffer.from(parts.join('|'), 'utf8'), NAMESPACE);
