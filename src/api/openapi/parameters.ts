import type { z } from 'zod';
import { idempotencyKey } from '../routes/orders.js';
import { parameterDescriptions } from './descriptions.js';
import { toSchema } from './jsonSchema.js';
import type { Json } from './jsonSchema.js';
import type { RequestHeader } from './operation.js';

/**
 * Query and path parameters are described one by one, as OpenAPI wants; a `z.coerce` number
 * becomes its JSON type (`integer`), which is what the query string's text must spell.
 */
export const parametersOf = (shape: z.ZodObject | undefined, where: 'path' | 'query') => {
  if (!shape) return [];
  const required = new Set((toSchema(shape, 'input').required as string[] | undefined) ?? []);
  return Object.entries(shape.shape).map(([name, field]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(parameterDescriptions[name] ? { description: parameterDescriptions[name] } : {}),
    schema: toSchema(field as z.ZodType, 'input'),
  }));
};

export const headerParameters: Record<RequestHeader, Json> = {
  'Idempotency-Key': {
    description:
      'Makes placing safe to retry: a repeat with the same key answers with the same order',
    schema: toSchema(idempotencyKey.unwrap(), 'input'),
  },
  'If-Match': {
    description: 'The ETag (stream revision) the write expects, or `*`; any other revision is 412',
    schema: { type: 'string', examples: ['"3"', '*'] },
  },
  'X-Min-Position': {
    description:
      'An `X-Event-Position` from an earlier write: the read waits (bounded) until the read models reach it',
    schema: { type: 'integer', minimum: 0 },
  },
};
