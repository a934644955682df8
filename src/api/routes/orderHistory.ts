import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Audit, PointInHistory } from '../../audit/index.js';
import { publicView } from '../../projections/index.js';
import { sendDoc } from '../http.js';
import { actorOf, requireRole } from '../middleware/authenticate.js';
import { parse } from '../validation.js';
import { isoInstant } from './audit.js';

export const params = z.strictObject({ id: z.uuid() });

export const timelineQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
});

export const orderHistoryQuery = z
  .strictObject({
    asOf: isoInstant.optional(),
    atRevision: z.coerce.number().int().min(0).max(1_000_000_000).optional(),
  })
  .refine(
    (query) => (query.asOf === undefined) !== (query.atRevision === undefined),
    'give asOf or atRevision, not both',
  );

/**
 * GET /api/orders/:id/timeline, after authentication (the orders router mounts it): the order's
 * full history for its owner, an admin or an auditor.
 */
export const orderTimeline = (audit: Pick<Audit, 'orderTimeline'>): RequestHandler[] => [
  requireRole('customer', 'admin', 'auditor'),
  async (req, res) => {
    const { id } = parse(params, req.params);
    const query = parse(timelineQuery, req.query);
    const page = await audit.orderTimeline(actorOf(res), id, query);
    res.json({
      success: true,
      orderId: page.orderId,
      entries: page.entries.map((entry) => ({
        ...entry,
        order: entry.order && publicView(entry.order),
      })),
      nextCursor: page.nextCursor,
    });
  },
];

const asksForHistory = (query: object) =>
  Object.hasOwn(query, 'asOf') || Object.hasOwn(query, 'atRevision');

/**
 * For GET /api/orders/:id, after authentication and the role check: with `asOf` or `atRevision`
 * it answers with the order as it was then (ETag: the revision of that state); otherwise it
 * passes the request on to the current-state handler.
 */
export const orderAsOf =
  (audit: Pick<Audit, 'orderAt'>): RequestHandler =>
  async (req, res, next) => {
    if (!asksForHistory(req.query)) return next();
    const { id } = parse(params, req.params);
    const query = parse(orderHistoryQuery, req.query);
    const at: PointInHistory =
      query.asOf === undefined ? { atRevision: query.atRevision! } : { asOf: query.asOf };
    sendDoc(res, await audit.orderAt(actorOf(res), id, at));
  };
