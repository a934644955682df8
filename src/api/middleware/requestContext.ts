import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Logger, Metrics } from '../../application/ports/index.js';
import type { MessageContext } from '../../application/messageContext.js';
import { actorOf } from './authenticate.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const incoming = (value: string | string[] | undefined) =>
  typeof value === 'string' && SAFE_ID.test(value) ? value : undefined;

/**
 * Gives every request an id and a correlation id (taken from the caller when well-formed), a
 * logger carrying both (`loggerOf`), and one access-log line when it finishes. Bodies are never
 * logged.
 */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** A route label with ids folded away, so the metric's cardinality stays bounded. */
const routeLabel = (path: string, unmatched: boolean) =>
  unmatched ? 'unmatched' : path.replace(UUID, ':id');

type RequestLocals = {
  requestId: string;
  correlationId: string;
  logger: Logger;
  requestLogger?: Logger;
};

export const requestContext =
  (logger: Logger, metrics?: Metrics): RequestHandler =>
  (req, res, next) => {
    const requestId = incoming(req.headers['x-request-id']) ?? randomUUID();
    const correlationId = incoming(req.headers['x-correlation-id']) ?? requestId;
    const locals = res.locals as RequestLocals;
    locals.requestId = requestId;
    locals.correlationId = correlationId;
    locals.logger = logger;
    res.setHeader('X-Request-Id', requestId);
    res.setHeader('X-Correlation-Id', correlationId);
    const started = process.hrtime.bigint();
    res.on('close', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // originalUrl: inside a router, req.path is relative to where the router is mounted.
      const path = req.originalUrl.split('?')[0] ?? '';
      const line = {
        requestId,
        correlationId,
        method: req.method,
        path,
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
      };
      // 'close' comes after the answer is sent, or when the client went away before it was.
      if (!res.writableFinished) return void logger.info({ ...line, aborted: true }, 'request');
      metrics?.observeHttp(
        req.method,
        routeLabel(path, res.locals.unmatched === true),
        res.statusCode,
        ms / 1000,
      );
      logger.info(line, 'request');
    });
    next();
  };

/**
 * The request's logger: its lines carry the request and correlation ids. Made on first use, as
 * most requests never log anything but their access line.
 */
export const loggerOf = (res: Response): Logger => {
  const locals = res.locals as Partial<RequestLocals>;
  if (!locals.logger) throw new Error('loggerOf needs the requestContext middleware');
  return (locals.requestLogger ??= locals.logger.child({
    requestId: locals.requestId,
    correlationId: locals.correlationId,
  }));
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
