import { problemDescriptions, responseHeaders } from './descriptions.js';
import { componentSchemas, ref, requestId, responseId } from './jsonSchema.js';
import type { Json } from './jsonSchema.js';
import type { Operation, ProblemStatus, Success } from './operation.js';
import { operations } from './operations/index.js';
import { headerParameters, parametersOf } from './parameters.js';

const DIALECT = 'https://json-schema.org/draft/2020-12/schema';
const PROBLEM_JSON = 'application/problem+json';

const problemContent = (status: ProblemStatus) => ({
  [PROBLEM_JSON]: {
    schema: {
      allOf: [ref('Problem'), { type: 'object', properties: { status: { const: status } } }],
    },
  },
});

const problemResponse = (status: ProblemStatus) => ({
  description: problemDescriptions[status],
  ...(status === 429 || status === 503
    ? {
        headers: { 'Retry-After': { ...responseHeaders['Retry-After'], required: status === 429 } },
      }
    : {}),
  content: problemContent(status),
});

const successResponse = (operation: Operation, success: Success) => {
  const where = `${operation.method.toUpperCase()} ${operation.path} ${success.status}`;
  const headers = Object.fromEntries(
    (success.headers ?? []).map((header) =>
      typeof header === 'string'
        ? [header, responseHeaders[header]]
        : [header.name, { ...responseHeaders[header.name], required: true }],
    ),
  );
  return {
    description: success.description,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(success.schema
      ? {
          content: {
            [success.contentType ?? 'application/json']: {
              schema: ref(responseId(success.schema, where)),
            },
          },
        }
      : {}),
  };
};

const responsesOf = (operation: Operation) => {
  const responses: Record<string, Json> = {};
  for (const success of operation.responses)
    responses[success.status] = successResponse(operation, success);
  for (const status of operation.problems) {
    const success = responses[status] as { content?: Json } | undefined;
    // A status that is both an answer and a problem (503 from /readyz) offers both media types.
    responses[status] = success
      ? {
          ...problemResponse(status),
          ...success,
          content: { ...success.content, ...problemContent(status) },
        }
      : { $ref: `#/components/responses/Problem${status}` };
  }
  return responses;
};

const toOperation = (operation: Operation) => {
  const description = [
    operation.description,
    operation.roles && `Roles: ${operation.roles.join(', ')}.`,
  ]
    .filter(Boolean)
    .join('\n\n');
  const parameters = [
    ...parametersOf(operation.pathParams, 'path'),
    ...parametersOf(operation.query, 'query'),
    ...(operation.headers ?? []).map((name) => ({
      name,
      in: 'header',
      required: false,
      ...headerParameters[name],
    })),
  ];
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    ...(description ? { description } : {}),
    tags: operation.tags,
    ...(operation.roles ? { security: [{ bearerAuth: [] }], 'x-roles': operation.roles } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(operation.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: ref(requestId(operation.body, `${operation.method} ${operation.path}`)),
              },
            },
          },
        }
      : {}),
    responses: responsesOf(operation),
  };
};

const pathsOf = (all: readonly Operation[]) => {
  const paths: Record<string, Record<string, Json>> = {};
  for (const operation of all) {
    const item = (paths[operation.path] ??= {});
    if (item[operation.method])
      throw new Error(`${operation.method} ${operation.path} is described twice`);
    item[operation.method] = toOperation(operation);
  }
  return paths;
};

const problemStatuses = Object.keys(problemDescriptions).map(Number) as ProblemStatus[];

/** The OpenAPI 3.1 document, generated from the route files' zod schemas and the operations table. */
export const buildOpenApiDocument = (): Json => ({
  openapi: '3.1.0',
  jsonSchemaDialect: DIALECT,
  info: {
    title: 'Order Ledger API',
    version: '1.0.0',
    description:
      'Orders and inventory as events. Errors are RFC 9457 problem+json with `success: false` and ' +
      '`message` kept for older clients. Writes answer with `ETag` and `X-Event-Position`. Every ' +
      "response carries `X-Request-Id` and `X-Correlation-Id` (the caller's, when well-formed).",
  },
  tags: [
    { name: 'Auth', description: 'Accounts, tokens and sessions' },
    { name: 'Products', description: 'The catalog' },
    { name: 'Orders', description: 'Placing, reading and cancelling orders' },
    { name: 'Audit', description: 'The event log and who read it' },
    { name: 'Admin', description: 'Operator actions' },
    { name: 'Operations', description: 'Health, readiness, metrics and this document' },
  ],
  paths: pathsOf(operations),
  components: {
    schemas: componentSchemas(),
    responses: Object.fromEntries(
      problemStatuses.map((status) => [`Problem${status}`, problemResponse(status)]),
    ),
    securitySchemes: {
      bearerAuth: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'The `token` from login',
      },
    },
  },
});
