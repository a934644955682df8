import {
  projectionParams,
  projectionStatusList,
  rebuildStarted,
} from '../../routes/adminProjections.js';
import { problems } from '../operation.js';
import type { Operation } from '../operation.js';

const tags = ['Admin'];

export const projectionOperations: readonly Operation[] = [
  {
    method: 'get',
    path: '/api/admin/projections',
    operationId: 'listProjections',
    summary: 'Every projection: checkpoint, lag behind the log, state, and its latest rebuild',
    tags,
    roles: ['admin'],
    responses: [{ status: 200, description: 'The projections', schema: projectionStatusList }],
    problems: problems({ roles: true }),
  },
  {
    method: 'post',
    path: '/api/admin/projections/{name}/rebuild',
    operationId: 'rebuildProjection',
    summary: 'Rebuild a projection from the log beside the live one, then swap',
    description:
      'Runs in the background: follow it in GET /api/admin/projections. The live read model keeps ' +
      'serving until the swap. A rebuild of a projection that is already rebuilding is 409.',
    tags,
    roles: ['admin'],
    pathParams: projectionParams,
    responses: [
      {
        status: 202,
        description: 'Started',
        schema: rebuildStarted,
        headers: [{ name: 'Location', required: true }],
      },
    ],
    problems: problems({ roles: true }, 404, 409),
  },
];
