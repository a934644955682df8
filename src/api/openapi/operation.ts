import type { z } from 'zod';
import type { UserRole } from '../../application/ports/index.js';

/** Headers a client may send, described once in `document.ts`. */
export type RequestHeader = 'Idempotency-Key' | 'If-Match' | 'X-Min-Position';

/** Headers a response may carry; `required` ones are sent on every response of that status. */
export type ResponseHeader =
  'ETag' | 'X-Event-Position' | 'Location' | 'Idempotent-Replayed' | 'Retry-After';

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 429 | 500 | 503;

export type Success = {
  status: number;
  description: string;
  /** A component of `responseComponents`; absent for an empty body (204). */
  schema?: z.ZodType;
  /** Defaults to application/json; a string schema is assumed for other types. */
  contentType?: string;
  headers?: ReadonlyArray<ResponseHeader | { name: ResponseHeader; required: true }>;
};

/** One row of the operations table, with request schemas taken from the route files themselves. */
export type Operation = {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI form: `/api/orders/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: readonly string[];
  /** Who may call it; absent for anyone, without a token. */
  roles?: readonly UserRole[];
  pathParams?: z.ZodObject;
  query?: z.ZodObject;
  headers?: readonly RequestHeader[];
  /** A component of `requestComponents`. */
  body?: z.ZodType;
  responses: readonly Success[];
  problems: readonly ProblemStatus[];
};

/** Every API route can fail unexpectedly, or refuse while the server drains. */
const always: readonly ProblemStatus[] = [500, 503];
/** Under /api a malformed JSON body or an unknown parameter is refused before the route runs. */
const api: readonly ProblemStatus[] = [400, ...always];
const withBody: readonly ProblemStatus[] = [...api, 413, 415];

/**
 * The problem statuses an operation can give, from the traits that cause them: `token` (401 without
 * a valid one), `roles` (a token, and 403 for a role not allowed), `body`, and `api` (false outside /api).
 */
export const problems = (
  traits: { body?: boolean; token?: boolean; roles?: boolean; api?: boolean },
  ...specific: ProblemStatus[]
): ProblemStatus[] => {
  const all = new Set<ProblemStatus>([
    ...(traits.api === false ? always : traits.body ? withBody : api),
    ...(traits.token || traits.roles ? [401 as const] : []),
    ...(traits.roles ? [403 as const] : []),
    ...specific,
  ]);
  return [...all].sort((a, b) => a - b);
};

export const written: Success['headers'] = [{ name: 'ETag', required: true }, 'X-Event-Position'];
