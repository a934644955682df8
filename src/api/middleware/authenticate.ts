import type { RequestHandler, Response } from 'express';
import { Forbidden, Unauthorized } from '../../domain/shared/index.js';
import type { AccessTokens, Actor, UserRole } from '../../application/ports/security.js';

const bearer = /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)[ ]*$/i;

/** Who is calling, as proved by the access token; set by `authenticate`. */
export const actorOf = (res: Response): Actor => {
  const actor = (res.locals as { actor?: Actor }).actor;
  // A route mounted without `authenticate` must fail closed, not act for nobody.
  if (!actor) throw new Unauthorized('Authentication required');
  return actor;
};

/** Requires `Authorization: Bearer <access token>` and puts the actor in `res.locals.actor`. */
export const authenticate =
  (tokens: Pick<AccessTokens, 'verify'>): RequestHandler =>
  (req, res, next) => {
    const token = bearer.exec(req.get('authorization') ?? '')?.[1];
    if (!token) throw new Unauthorized('Missing bearer token');
    (res.locals as { actor?: Actor }).actor = tokens.verify(token);
    next();
  };

/** After `authenticate`: lets through only the roles named. */
export const requireRole =
  (...roles: readonly UserRole[]): RequestHandler =>
  (_req, res, next) => {
    if (!roles.includes(actorOf(res).role)) throw new Forbidden('Your role may not do this');
    next();
  };
