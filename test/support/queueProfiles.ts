import { randomUUID } from 'node:crypto';
import { requireService } from './services.js';

/** A queue the order pipeline can run on, and the environment that selects it. */
export type QueueProfile = {
  name: string;
  env: (ctx: Mocha.Context) => Promise<Record<string, string>>;
};

/**
 * The embedded SQLite queue, and SQS (fauxqs in this process, so it outlives any role process a
 * test kills) on a queue of its own per call. Pipeline suites run once per profile.
 */
export const queueProfiles: QueueProfile[] = [
  { name: 'embedded queue', env: async () => ({ QUEUE: 'sqlite' }) },
  {
    name: 'SQS',
    env: async (ctx) => ({
      QUEUE: 'sqs',
      SQS_ENDPOINT: (await requireService(ctx, 'sqs')).url,
      QUEUE_NAME: `orders-${randomUUID().slice(0, 8)}`,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    }),
  },
];
