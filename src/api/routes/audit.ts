import { Router } from 'express';
import { z } from 'zod';
import type { AccessTokens } from '../../application/ports/index.js';
import type { Audit } from '../../audit/index.js';
import { authenticate, actorOf, requireRole } from '../middleware/authenticate.js';
import { parse } from '../validation.js';

const eventType = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,99}$/, 'is not an event type');
/** `type=A,B` or `type=A&type=B`. */
const types = z
  .union([z.string().max(2000), z.array(z.string().max(2000)).max(50)])
  .transform((value) =>
    (Array.isArray(value) ? value : [value]).flatMap((part) => part.split(',')).filter(Boolean),
  )
  .pipe(z.array(eventType).min(1).max(50));
/** User ids are UUIDs for people, names such as `processor` for services. */
const actorId = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, 'is not a user id');
/**
 * An ISO 8601 time with its offset. An unencoded `+02:00` reaches us as ` 02:00` (a query string's
 * `+` is a space), which can mean nothing else, so it is read as the offset it was.
 */
export const isoInstant = z
  .string()
  .max(40)
  .meta({ format: 'date-time' })
  .transform((text) => text.replace(/ (\d{2}:?\d{2})$/, '+$1'))
  .pipe(z.iso.datetime({ offset: true }))
  .transform((text) => new Date(text));
const cursor = z.string().max(200).optional();

export const auditEventsQuery = z
  .strictObject({
    type: types.optional(),
    streamPrefix: z.string().min(1).max(200).optional(),
    since: isoInstant.optional(),
    until: isoInstant.optional(),
    userId: actorId.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor,
  })
  .refine(
    (query) => !query.since || !query.until || query.since <= query.until,
    'since must not be after until',
  );

export const accessLogQuery = z.strictObject({
  userId: actorId.optional(),
  action: z.enum(['timeline', 'audit.events']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor,
});

export type AuditRouterDeps = { audit: Audit; tokens: AccessTokens };

/** Mounted at /api/audit: the global log, for auditors and admins. */
export const auditRouter = ({ audit, tokens }: AuditRouterDeps) => {
  const router = Router();
  router.use(authenticate(tokens), requireRole('auditor', 'admin'));
  router.get('/events', async (req, res) => {
    const { type, ...query } = parse(auditEventsQuery, req.query);
    const page = await audit.events(actorOf(res), { ...query, ...(type ? { types: type } : {}) });
    res.json({ success: true, events: page.events, nextCursor: page.nextCursor });
  });
  return router;
};

/** Mounted at /api/admin/access-log: who read which history, newest first, for admins. */
export const accessLogRouter = ({ audit, tokens }: AuditRouterDeps) => {
  const router = Router();
  router.use(authenticate(tokens), requireRole('admin'));
  router.get('/', async (req, res) => {
    const page = await audit.accessLog(parse(accessLogQuery, req.query));
    res.json({ success: true, entries: page.items, nextCursor: page.nextCursor });
  });
  return router;
};
