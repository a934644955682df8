import { z } from 'zod';
import { requestComponents, responseComponents } from './components.js';

export type Json = Record<string, unknown>;
type Io = 'input' | 'output';

export const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** Components are embedded in one document: a `$schema` or fragment `$id` on each would be noise, or invalid. */
const bare = ({ $schema: _schema, $id: _id, ...rest }: Json): Json => rest;

/** Requests as zod parses them (defaults optional, before transforms); responses as the server writes them. */
export const toSchema = (schema: z.ZodType, io: Io) =>
  bare(z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as Json);

const convert = (components: Record<string, z.ZodType>, io: Io) => {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(components)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Json> };
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, bare(schema)]));
};

export const componentSchemas = () => ({
  ...convert(requestComponents, 'input'),
  ...convert(responseComponents, 'output'),
});

const namer = (components: Record<string, z.ZodType>) => {
  const ids = new Map(Object.entries(components).map(([id, schema]) => [schema, id]));
  return (schema: z.ZodType, where: string) => {
    const id = ids.get(schema);
    if (!id) throw new Error(`${where}: the schema is not among the named components`);
    return id;
  };
};
export const requestId = namer(requestComponents);
export const responseId = namer(responseComponents);
