import type { Config } from './config.js';
import { createContainer, TOKENS } from './container.js';
import type { AppContainer } from './container.js';
import type { Clock, Logger } from './application/ports/index.js';
import { systemClock } from './application/ports/index.js';
import { createApp } from './api/app.js';
import { createWaitForPosition } from './api/middleware/minPosition.js';
import { projections, waitForCheckpoint } from './projections/index.js';
import { startApi } from './roles/api.js';
import { registerGauges } from './roles/gauges.js';
import { createDrain } from './api/middleware/drain.js';
import { startProjector } from './roles/projector.js';
import { supervise } from './roles/supervise.js';
import { FORWARDER, startForwarder } from './consumers/forwarder.js';
import { startOrderProcessor } from './consumers/orderProcessor.js';

export const ROLES = ['api', 'projector', 'forwarder', 'processor'] as const;
export type Role = (typeof ROLES)[number];

export type RunningSystem = {
  container: AppContainer;
  /** Base URL of the API, when the api role runs. */
  url?: string;
  /** Resolves once every projection has caught up with the log (projector role). */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
};

const settle = async (check: () => Promise<unknown>) => {
  try {
    await check();
    return 'ok' as const;
  } catch {
    return 'down' as const;
  }
};

/** The composition root's other half: starts the chosen roles over one container, stops them in reverse. */
export const startSystem = async (
  config: Config,
  logger: Logger,
  roles: readonly Role[] = ROLES,
  clock: Clock = systemClock,
): Promise<RunningSystem> => {
  const container = createContainer(config, logger, clock);
  const stops: Array<() => Promise<void>> = [];
  let caughtUp = async () => {};
  try {
    const [eventStore, documents, cache] = await Promise.all([
      container.get(TOKENS.eventStore),
      container.get(TOKENS.documents),
      container.get(TOKENS.cache),
    ]);
    if (roles.includes('projector')) {
      const projector = await startProjector({
        eventStore,
        documents,
        clock,
        logger: logger.child({ role: 'projector' }),
        projections,
        batchSize: config.PROJECTION_BATCH_SIZE,
      });
      stops.push(projector.stop);
      caughtUp = async () => void (await projector.caughtUp());
    }
    if (roles.includes('forwarder')) {
      const queue = await container.get(TOKENS.queue);
      const forwarder = await supervise(
        FORWARDER,
        () =>
          startForwarder({
            eventStore,
            documents,
            queue,
            clock,
            logger: logger.child({ role: 'forwarder' }),
            batchSize: config.FORWARDER_BATCH_SIZE,
          }),
        logger,
      );
      stops.push(forwarder.stop);
    }
    if (roles.includes('processor')) {
      const processor = startOrderProcessor({
        queue: await container.get(TOKENS.queue),
        orders: await container.get(TOKENS.orders),
        products: await container.get(TOKENS.products),
        logger: logger.child({ role: 'processor' }),
        concurrency: config.PROCESSOR_CONCURRENCY,
        waitSeconds: config.PROCESSOR_WAIT_SECONDS,
      });
      stops.push(processor.stop);
    }
    let url: string | undefined;
    if (roles.includes('api')) {
      const metrics = await container.get(TOKENS.metrics);
      const queue = await container.get(TOKENS.queue);
      const drain = createDrain();
      registerGauges({ metrics, eventStore, documents, queue });
      const app = createApp({
        metrics,
        drain,
        logger: logger.child({ role: 'api' }),
        accounts: await container.get(TOKENS.accounts),
        tokens: await container.get(TOKENS.tokens),
        orders: await container.get(TOKENS.orders),
        products: await container.get(TOKENS.products),
        queries: await container.get(TOKENS.queries),
        queue: await container.get(TOKENS.queue),
        waitForPosition: createWaitForPosition((names, position) =>
          waitForCheckpoint(documents, names, position, config.MIN_POSITION_WAIT_MS),
        ),
        bodyLimit: config.BODY_LIMIT,
        trustProxy: config.TRUST_PROXY,
        readiness: async () => ({
          eventStore: await settle(() => eventStore.headPosition()),
          documents: await settle(() => documents.ping()),
          queue: await settle(async () => (await container.get(TOKENS.queue)).ping()),
          cache: (await settle(() => cache.ping())) === 'ok' ? 'ok' : 'degraded',
        }),
      });
      const api = await startApi({ app, port: config.PORT, host: config.HOST, logger, drain, graceMs: config.SHUTDOWN_GRACE_MS });
      stops.push(api.stop);
      url = api.url;
    }
    return {
      container,
      ...(url ? { url } : {}),
      caughtUp,
      stop: async () => {
        for (const stop of stops.reverse()) await stop();
        await container.close();
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await container.close();
    throw error;
  }
};
