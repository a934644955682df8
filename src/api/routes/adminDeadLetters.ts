import { Router } from 'express';
import { z } from 'zod';
import type { AccessTokens } from '../../application/accounts/index.js';
import type { DeadLetters } from '../../consumers/deadLetters.js';
import { authenticate, requireRole } from '../middleware/authenticate.js';
import { parse } from '../validation.js';

export const deadLetterListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const redriveBody = z.strictObject({
  ids: z.array(z.string().min(1).max(200)).max(500).optional(),
});

/** What the processor and the notifier gave up on: look at it, and put it back once the cause is fixed. */
export const adminDeadLettersRouter = ({
  deadLetters,
  tokens,
}: {
  deadLetters: DeadLetters;
  tokens: AccessTokens;
}) => {
  const router = Router();
  router.use(authenticate(tokens), requireRole('admin'));

  router.get('/', async (req, res) => {
    const { limit } = parse(deadLetterListQuery, req.query);
    res.json({ success: true, deadLetters: await deadLetters.list(limit) });
  });

  router.post('/redrive', async (req, res) => {
    const { ids } = parse(redriveBody, req.body ?? {});
    const redriven = await deadLetters.redrive(ids);
    res.json({ success: true, redriven });
  });

  return router;
};
