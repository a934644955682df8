import type { ErrorRequestHandler, RequestHandler } from 'express';
import {
  BusinessRuleViolated,
  ConcurrencyError,
  Conflict,
  DomainError,
  Forbidden,
  InvalidInput,
  NotFound,
  PreconditionFailed,
  TooManyRequests,
  Unauthorized,
  Unavailable,
} from '../../domain/shared/index.js';
import type { Logger } from '../../application/ports/index.js';
import { ValidationFailed } from '../validation.js';
import { loggerOf } from './requestContext.js';

const PROBLEMS = 'https://order-ledger.dev/problems/';

type Problem = { status: number; slug: string; title: string; detail: string; errors?: unknown };

export const problem = (
  status: number,
  slug: string,
  title: string,
  detail: string,
  errors?: unknown,
): Problem => ({
  status,
  slug,
  title,
  detail,
  ...(errors === undefined ? {} : { errors }),
});

/** The one place where errors get their HTTP meaning. */
const toProblem = (error: unknown): Problem => {
  if (error instanceof ValidationFailed)
    return problem(400, 'validation', 'Invalid request', error.message, error.issues);
  if (error instanceof InvalidInput)
    return problem(400, 'validation', 'Invalid request', error.message);
  if (error instanceof Unauthorized)
    return problem(401, 'unauthorized', 'Not authenticated', error.message);
  if (error instanceof Forbidden) return problem(403, 'forbidden', 'Not allowed', error.message);
  if (error instanceof NotFound) return problem(404, 'not-found', 'Not found', error.message);
  if (error instanceof Conflict) return problem(409, 'conflict', 'Conflict', error.message);
  if (error instanceof ConcurrencyError) {
    return problem(
      409,
      'concurrency',
      'Concurrent modification',
      'the resource changed while the request ran; retry',
    );
  }
  if (error instanceof PreconditionFailed)
    return problem(412, 'precondition-failed', 'Precondition failed', error.message);
  if (error instanceof BusinessRuleViolated) {
    return problem(422, 'business-rule', 'Business rule violated', error.message, error.details);
  }
  if (error instanceof TooManyRequests)
    return problem(429, 'rate-limited', 'Too many requests', error.message);
  if (error instanceof Unavailable)
    return problem(503, 'unavailable', 'Service unavailable', error.message);
  const http = httpError(error);
  if (http) return http;
  return problem(500, 'internal', 'Internal error', 'something went wrong; the error was logged');
};

/** Errors raised by express's own body parser carry `type` and `status`. */
const httpError = (error: unknown): Problem | undefined => {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined;
  switch ((error as { type: unknown }).type) {
    case 'entity.too.large':
      return problem(413, 'too-large', 'Body too large', 'the request body is larger than allowed');
    case 'entity.parse.failed':
      return problem(400, 'validation', 'Invalid request', 'the body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return problem(415, 'unsupported-media-type', 'Unsupported media type', 'send UTF-8 JSON');
    default:
      return undefined;
  }
};

export const sendProblem = (
  res: Parameters<RequestHandler>[1],
  { status, slug, title, detail, errors }: Problem,
  instance?: string,
) =>
  res
    .status(status)
    .type('application/problem+json')
    .json({
      type: `${PROBLEMS}${slug}`,
      title,
      status,
      detail,
      ...(instance ? { instance } : {}),
      success: false,
      message: detail,
      ...(errors === undefined ? {} : { errors }),
    });

export const problemHandler =
  (logger: Logger): ErrorRequestHandler =>
  (error, req, res, _next) => {
    const found = toProblem(error);
    if (error instanceof TooManyRequests)
      res.setHeader('Retry-After', String(error.retryAfterSeconds));
    // The request's own logger when requestContext ran (it carries the ids), the app's otherwise.
    const log = () => (res.locals.logger ? loggerOf(res) : logger);
    if (found.status >= 500) log().error({ err: error }, 'request failed');
    else if (!(error instanceof DomainError)) log().debug({ err: error }, 'request refused');
    sendProblem(res, found, req.originalUrl);
  };

export const notFoundHandler: RequestHandler = (req, res) => {
  res.locals.unmatched = true;
  sendProblem(
    res,
    problem(404, 'not-found', 'Not found', `no route for ${req.method} ${req.path}`),
    req.originalUrl,
  );
};
