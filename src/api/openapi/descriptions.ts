import type { ProblemStatus, ResponseHeader } from './operation.js';

export const problemDescriptions: Record<ProblemStatus, string> = {
  400: 'Invalid input: a field that fails its rule, an unknown field or parameter, malformed JSON, or a cursor this service did not issue',
  401: 'No token, or a bad, expired or revoked one',
  403: 'Your role may not do this',
  404: 'Not found, or not yours',
  409: 'A state conflict (e.g. cancelling a Failed order, an Idempotency-Key reused), or a concurrent change',
  412: '`If-Match` does not name the current revision',
  413: 'The body is larger than allowed',
  415: 'The body is not JSON',
  422: 'A business rule (unknown or deleted product, more than is available, stock below what is reserved)',
  429: 'Too many requests; retry after `Retry-After` seconds',
  500: 'Something went wrong; the body carries no internals',
  503: 'The server is shutting down; retry elsewhere or after `Retry-After` seconds',
};

export const responseHeaders: Record<ResponseHeader, { description: string; schema: object }> = {
  ETag: {
    description: 'The stream revision, quoted: send it back in `If-Match`',
    schema: { type: 'string', examples: ['"3"'] },
  },
  'X-Event-Position': {
    description:
      'Where the write landed in the log: send it as `X-Min-Position` to read your own write',
    schema: { type: 'integer', minimum: 0 },
  },
  Location: { description: 'The new resource', schema: { type: 'string' } },
  'Idempotent-Replayed': {
    description: '`true` when the answer repeats an earlier request with the same Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
  'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 0 } },
};

export const parameterDescriptions: Record<string, string> = {
  cursor: 'The `nextCursor` of the previous page',
  limit: 'Page size',
  asOf: 'Answer with the order as it was at this time (not with atRevision)',
  atRevision: 'Answer with the order as it was at this stream revision (not with asOf)',
  type: 'Event types, comma-separated or repeated',
  streamPrefix: 'Only streams whose id starts with this, e.g. `order-`',
  since: 'Only events recorded at or after this time',
  until: 'Only events recorded at or before this time',
};
