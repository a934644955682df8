import { z } from 'zod';
import { health, readiness } from '../schemas.js';
import type { Operation } from '../operation.js';

const tags = ['Operations'];

/** This document itself: only its frame is described, which is all a client needs to know it. */
export const openApiDocument = z.looseObject({
  openapi: z.literal('3.1.0'),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

export const prometheusText = z.string().describe('Prometheus text exposition format');

export const systemOperations: readonly Operation[] = [
  {
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    summary: 'The process is alive',
    description:
      'Answers even while the server drains, so an orchestrator does not kill it mid-drain.',
    tags,
    responses: [{ status: 200, description: 'Alive', schema: health }],
    problems: [500],
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'readiness',
    summary: 'Every dependency answers',
    tags,
    responses: [
      { status: 200, description: 'Ready', schema: readiness },
      {
        status: 503,
        description: 'A dependency is down (or, as problem+json, the server is draining)',
        schema: readiness,
      },
    ],
    problems: [500, 503],
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus metrics',
    tags,
    responses: [
      {
        status: 200,
        description: 'The metrics',
        schema: prometheusText,
        contentType: 'text/plain',
      },
    ],
    problems: [500, 503],
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openApi',
    summary: 'This OpenAPI 3.1 document (Swagger UI at /docs)',
    tags,
    responses: [{ status: 200, description: 'The document', schema: openApiDocument }],
    problems: [500, 503],
  },
];
