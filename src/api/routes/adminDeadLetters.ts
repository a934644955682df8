import { Router } from 'express';
import { z } from 'zod';
import type { AccessTokens } from '../../application/accounts/index.js';
import type { Queue } from '../../application/ports/index.js';
import { authenticate, requireRole } from '../middleware/authenticate.js';
import { parse } from '../validation.js';

export const deadLetterListQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) });
export const redriveBody = z.strictObject({ ids: z.array(z.string().min(1).max(200)).max(500).optional() });

/** Operations on messages the processor gave up on: look at them, and put them back once the cause is fixed. */
export const adminDeadLettersRouter = ({ queue, tokens }: { queue: Queue; tokens: AccessTokens }) => {
  const router = Router();
  router.use(authenticate(tokens), requireRole('admin'));

  router.get('/', async (req, res) => {
    const { limit } = parse(deadLetterListQuery, req.query);
    const deadLetters = await queue.listDeadLetters(limit);
    res.json({ success: true, deadLetters });
  });

  router.post('/redrive', async (req, res) => {
    const { ids } = parse(redriveBody, req.body ?? {});
    const redriven = await queue.redrive(ids);
    res.json({ success: true, redriven });
  });

  return router;
};
