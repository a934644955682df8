import { deadLetterListQuery, redriveBody } from '../../routes/adminDeadLetters.js';
import { accessLogQuery, auditEventsQuery } from '../../routes/audit.js';
import { accessLog, auditEvents, deadLetterList, redriven } from '../historySchemas.js';
import { problems } from '../operation.js';
import type { Operation } from '../operation.js';

export const adminOperations: readonly Operation[] = [
  {
    method: 'get',
    path: '/api/admin/dead-letters',
    operationId: 'listDeadLetters',
    summary: 'Order messages and order emails the service gave up on, with the reason',
    tags: ['Admin'],
    roles: ['admin'],
    query: deadLetterListQuery,
    responses: [
      { status: 200, description: 'The dead letters, newest first', schema: deadLetterList },
    ],
    problems: problems({ roles: true }),
  },
  {
    method: 'post',
    path: '/api/admin/dead-letters/redrive',
    operationId: 'redriveDeadLetters',
    summary: 'Put dead letters back (on the queue, or to the notifier), all of them or those named',
    tags: ['Admin'],
    roles: ['admin'],
    body: redriveBody,
    responses: [{ status: 200, description: 'How many went back', schema: redriven }],
    problems: problems({ body: true, roles: true }),
  },
  {
    method: 'get',
    path: '/api/admin/access-log',
    operationId: 'listAccessLog',
    summary: 'Who read which history, and when, newest first',
    tags: ['Admin', 'Audit'],
    roles: ['admin'],
    query: accessLogQuery,
    responses: [{ status: 200, description: 'One page of the access log', schema: accessLog }],
    problems: problems({ roles: true }),
  },
  {
    method: 'get',
    path: '/api/audit/events',
    operationId: 'listAuditEvents',
    summary: 'The global event log, filtered, by position',
    description:
      'A selective filter may answer a short page with a `nextCursor` where the scan stopped: read on ' +
      'until it is null. Every read is recorded in the access log.',
    tags: ['Audit'],
    roles: ['auditor', 'admin'],
    query: auditEventsQuery,
    responses: [{ status: 200, description: 'One page of events', schema: auditEvents }],
    problems: problems({ roles: true }),
  },
];
