import { v5 as uuidv5 } from 'uuid';

/** Namespace for ids derived from other ids (fixed forever: changing it changes every derived id). */
const NAMESPACE = '6f1c3f0e-8f5b-4d8e-9a53-2f0c6b7d9e41';

/** A UUID that is the same every time for the same parts: retries and redeliveries append nothing new. */
export const deterministicId = (...parts: readonly (string | number)[]): string => uuidv5(parts.join('|'), NAMESPACE);
