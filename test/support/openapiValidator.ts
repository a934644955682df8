import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { AssertionError } from 'chai';
import { buildOpenApiDocument } from '../../src/api/openapi/index.js';

type Json = Record<string, any>;
export type SeenResponse = { status: number; headers: Headers; body: unknown; text: string };

const SPEC_ID = 'https://order-ledger.dev/openapi.json';
/** The document's own members, which ajv must accept as annotations when it loads it as a schema. */
const OPENAPI_MEMBERS = [
  'openapi',
  'jsonSchemaDialect',
  'info',
  'servers',
  'tags',
  'paths',
  'components',
  'webhooks',
  'security',
  'externalDocs',
];

/** A JSON pointer fragment into the document, from its keys. */
export const pointer = (...segments: string[]) =>
  `#/${segments.map((part) => encodeURIComponent(part.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/')}`;

const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');

/**
 * The spec as ajv sees it, built once per process. Validators are compiled from JSON pointers into
 * the whole document, so `$ref`s resolve against it exactly as an OpenAPI tool would.
 */
const load = () => {
  const document = buildOpenApiDocument() as Json;
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv);
  ajv.addVocabulary(OPENAPI_MEMBERS);
  ajv.addSchema(document, SPEC_ID);
  const compiled = new Map<string, ValidateFunction>();
  const validatorAt = (at: string) => {
    let validate = compiled.get(at);
    if (!validate) {
      validate = ajv.getSchema(`${SPEC_ID}${at}`);
      if (!validate) throw new Error(`no schema at ${at}`);
      compiled.set(at, validate);
    }
    return validate;
  };
  // Literal paths before templated ones, so `/a/redrive` is never taken for `/a/{id}`.
  const routes = Object.keys(document.paths as Json)
    .map((template) => ({
      template,
      pattern: new RegExp(
        `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`,
      ),
      params: (template.match(/\{/g) ?? []).length,
    }))
    .sort((a, b) => a.params - b.params);
  return { document, ajv, validatorAt, routes };
};

let spec: ReturnType<typeof load> | undefined;
/** Built on first use: also by tests that check the document itself. */
export const openApiSpec = () => (spec ??= load());

const describeErrors = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? [])
    .map((error) => {
      const extra =
        error.keyword === 'additionalProperties'
          ? ` (${String(error.params.additionalProperty)})`
          : '';
      return `  ${error.instancePath || '(body)'} ${error.message ?? error.keyword}${extra}`;
    })
    .join('\n');

const excerpt = (text: string) =>
  text.length > 600 ? `${text.slice(0, 600)}…` : text || '(empty)';

/** Why the response breaks the contract, or undefined when it keeps it. */
const mismatch = (method: string, url: string, response: SeenResponse): string | undefined => {
  const { document, validatorAt, routes } = openApiSpec();
  const path = new URL(url, 'http://spec').pathname;
  const route = routes.find(({ pattern }) => pattern.test(path));
  const verb = method.toLowerCase();
  const operation = route && (document.paths[route.template][verb] as Json | undefined);
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  // The app's answer to a request it does not route (its detail names the request). Whether app
  // and spec agree on the routes is the route walk's to check (openapi.int.test.ts), not every call's.
  const unrouted =
    response.status === 404 &&
    type === 'application/problem+json' &&
    (response.body as Json | undefined)?.detail === `no route for ${method.toUpperCase()} ${path}`;
  if (unrouted) {
    const validate = validatorAt(
      pointer('components', 'responses', 'Problem404', 'content', type, 'schema'),
    );
    return validate(response.body)
      ? undefined
      : `its 404 is not a problem document:\n${describeErrors(validate.errors)}`;
  }
  if (!operation || !route) {
    return `${method} ${path} is not an operation of the spec (it answered ${response.status})`;
  }
  const label = `${operation.operationId as string}`;
  let at = ['paths', route.template, verb, 'responses', String(response.status)];
  let described = operation.responses[String(response.status)] as Json | undefined;
  if (!described) {
    return `${label} does not document status ${response.status} (documented: ${Object.keys(operation.responses).join(', ')})`;
  }
  if (typeof described.$ref === 'string') {
    at = (described.$ref as string).slice(2).split('/');
    described = at.reduce<Json>((node, key) => node[key], document);
  }
  const missing = Object.entries((described.headers ?? {}) as Json)
    .filter(([name, header]) => header.required && !response.headers.has(name))
    .map(([name]) => name);
  if (missing.length > 0)
    return `${label} ${response.status} lacks the required header ${missing.join(', ')}`;
  const content = described.content as Json | undefined;
  if (!content) {
    return response.text === ''
      ? undefined
      : `${label} ${response.status} is documented without a body, but has one`;
  }
  if (!content[type]) {
    return `${label} ${response.status} answered ${type || 'no content type'}; documented: ${Object.keys(content).join(', ')}`;
  }
  if (isJson(type) && response.body === undefined) return `${label} ${response.status} is not JSON`;
  const validate = validatorAt(pointer(...at, 'content', type, 'schema'));
  if (validate(isJson(type) ? response.body : response.text)) return undefined;
  return `${label} ${response.status} ${type} does not match its schema:\n${describeErrors(validate.errors)}`;
};

/** Fails the test when a response is not what the OpenAPI document says that operation answers. */
export const assertMatchesSpec = (method: string, url: string, response: SeenResponse) => {
  const why = mismatch(method, url, response);
  if (why) {
    throw new AssertionError(
      `OpenAPI: ${method} ${url} → ${response.status}: ${why}\n  body: ${excerpt(response.text)}`,
    );
  }
};
