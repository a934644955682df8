import type { Request, Response } from 'express';
import { PreconditionFailed } from '../domain/shared/index.js';
import { publicView } from '../projections/index.js';
import type { Doc } from '../application/ports/index.js';

/** ETags are the stream revision: `"3"`. */
export const etagOf = (revision: number) => `"${revision}"`;

/** The revision an If-Match names, or undefined when absent or `*`. Anything else cannot match: 412. */
export const ifMatchOf = (req: Request): number | undefined => {
  const header = req.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) throw new PreconditionFailed('If-Match names no revision of this resource');
  return Number(match[1]);
};

/** Write responses say where the change landed in the log, so a later read can wait for it. */
export const setWritten = (res: Response, revision: number, position: number | undefined) => {
  res.setHeader('ETag', etagOf(revision));
  if (position !== undefined) res.setHeader('X-Event-Position', String(position));
};

/** A read-model document as clients see it: internal fields dropped, ETag from its revision. */
export const sendDoc = (res: Response, doc: Doc & { _revision: number }) => {
  res.setHeader('ETag', etagOf(doc._revision));
  res.json(publicView(doc));
};
