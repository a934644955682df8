import { Router } from 'express';
import { z } from 'zod';
import type { AccessTokens } from '../../application/accounts/index.js';
import type { ProjectionAdmin } from '../../projections/index.js';
import { authenticate, requireRole } from '../middleware/authenticate.js';
import { parse } from '../validation.js';

export const projectionParams = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9._]{0,99}$/),
});

const position = z.int().nonnegative();
export const projectionStatusSchema = z.strictObject({
  name: z.string().describe('Subscription name, e.g. projections.orders'),
  collection: z.string(),
  checkpoint: position.describe('Every event at or before it is reflected'),
  head: position.describe('Newest position in the log'),
  lag: position.describe('Log positions between the checkpoint and the head'),
  state: z
    .enum(['running', 'paused', 'swapping', 'stopped'])
    .describe('Of the live runner, wherever it runs'),
  rebuild: z
    .strictObject({
      id: z.string(),
      state: z.enum(['running', 'swapping', 'done', 'failed', 'aborted', 'expired']),
      position,
      head: position,
      events: position,
      startedAt: z.string(),
      heartbeatAt: z.string(),
      finishedAt: z.string().optional(),
      error: z.string().optional(),
    })
    .nullable()
    .describe(
      'The latest rebuild, if any; `expired`: it stopped without a word and left the live model as it was',
    ),
});
export const projectionStatusList = z.strictObject({
  success: z.literal(true),
  projections: z.array(projectionStatusSchema),
});
export const rebuildStarted = z.strictObject({
  success: z.literal(true),
  message: z.string(),
  rebuild: z.strictObject({ id: z.string(), projection: z.string() }),
});

/**
 * Admin-only projection operations. A rebuild runs in this process in the background; the live
 * projector (here or in another process) keeps serving until the swap. A second rebuild of the
 * same projection while one runs is 409, wherever the first one runs.
 */
export const adminProjectionsRouter = ({
  projectionAdmin,
  tokens,
}: {
  projectionAdmin: ProjectionAdmin;
  tokens: AccessTokens;
}) => {
  const router = Router();
  router.use(authenticate(tokens), requireRole('admin'));

  router.get('/', async (_req, res) => {
    res.json({ success: true, projections: await projectionAdmin.status() });
  });

  router.post('/:name/rebuild', async (req, res) => {
    const { name } = parse(projectionParams, req.params);
    const { id, projection } = await projectionAdmin.rebuild(name);
    res
      .status(202)
      .location('/api/admin/projections')
      .json({
        success: true,
        message: `Rebuild of ${projection} started`,
        rebuild: { id, projection },
      });
  });

  return router;
};
