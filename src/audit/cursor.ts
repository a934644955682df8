import { InvalidInput } from '../domain/shared/index.js';

/** Log cursors name the last position a page covered; opaque so their form may change. */
export const encodePositionCursor = (position: number): string =>
  Buffer.from(JSON.stringify({ after: position })).toString('base64url');

export const decodePositionCursor = (cursor: string | undefined): number | undefined => {
  if (cursor === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const after = (parsed as { after?: unknown } | null)?.after;
    if (typeof after === 'number' && Number.isSafeInteger(after) && after >= 0) return after;
  } catch {
    // fall through to the typed error
  }
  throw new InvalidInput('cursor is not one this service issued');
};
