import type { Request } from 'express';
import { z } from 'zod';
import { parse } from '../validation.js';

const header = z.coerce.number().int().min(0).optional();

/** Waits (bounded) until the named projections reflect the client's X-Min-Position; gives that position back. */
export type WaitForPosition = (
  req: Request,
  ...projections: string[]
) => Promise<number | undefined>;

export const createWaitForPosition =
  (wait: (names: readonly string[], position: number) => Promise<boolean>): WaitForPosition =>
  async (req, ...projections) => {
    const position = parse(header, req.headers['x-min-position']);
    if (position === undefined) return;
    // A read that times out still answers, from the read model as it is: the client asked to wait, not to fail.
    await wait(projections, position);
    return position;
  };
