import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Logger, Metrics } from '../../application/ports/index.js';
import type { MessageContext } from '../../application/messageContext.js';
import { actorOf } from './authenticate.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const incoming = (value: string | string[] | undefined) =>
  typeof value === 'string' && SAFE_ID.test(value) ? value : undefined;

/**
 * Gives every request an id and a correlation id (taken from the caller when well-formed), a child
 * logger carrying both, and one access-log line when it finishes. Bodies are never logged.
 */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** A route label with ids folded away, so the metric's cardinality stays bounded. */
const routeLabel = (path: string, unmatched: boolean) => (unmatched ? 'unmatched' : path.replace(UUID, ':id'));

export const requestContext =
  (logger: Logger, metrics?: Metrics): RequestHandler =>
  (req, res, next) => {
    const requestId = incoming(req.headers['x-request-id']) ?? randomUUID();
    const correlationId = incoming(req.headers['x-correlation-id']) ?? requestId;
    const child = logger.child({ requestId, correlationId });
    res.locals.requestId = requestId;
    res.locals.correlationId = correlationId;
    res.locals.logger = child;
    res.setHeader('X-Request-Id', requestId);
    res.setHeader('X-Correlation-Id', correlationId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // originalUrl: inside a router, req.path is relative to where the router is mounted.
      const path = req.originalUrl.split('?')[0] ?? '';
      metrics?.observeHttp(req.method, routeLabel(path, res.locals.unmatched === true), res.statusCode, ms / 1000);
      child.info({ method: req.method, path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  };

/** The metadata a command from this request carries into its events. */
export const messageContextOf = (res: Response): MessageContext => {
  const actor = actorOf(res);
  return {
    userId: actor.userId,
    role: actor.role,
    correlationId: res.locals.correlationId as string,
    causationId: res.locals.requestId as string,
    requestId: res.locals.requestId as string,
  };
};
