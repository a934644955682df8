import type { Config } from './config.js';
import { createContainer, TOKENS } from './container.js';
import type { AppContainer } from './container.js';
import type { Clock, Logger } from './application/ports/index.js';
import { systemClock } from './application/ports/index.js';
import { createApp } from './api/app.js';
import { createWaitForPosition } from './api/middleware/minPosition.js';
import { createOrderReader, createProjectionAdmin, projections, waitForCheckpoint } from './projections/index.js';
import { startApi } from './roles/api.js';
import { registerGauges } from './roles/gauges.js';
import { createDrain } from './api/middleware/drain.js';
import { startProjector } from './roles/projector.js';
import { supervise } from './roles/supervise.js';
import { FORWARDER, startForwarder } from './consumers/forwarder.js';
import { startOrderProcessor } from './consumers/orderProcessor.js';
import { createDeadLetters } from './consumers/deadLetters.js';
import { emailBacklog, NOTIFIER_NAME, startNotifier } from './consumers/notifier/index.js';

export const ROLES = ['api', 'projector', 'forwarder', 'processor', 'notifier'] as const;
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
  // A memory cache is private to its process: order lookups use it only beside the projector that keeps it fresh.
  const sharedCache = config.CACHE !== 'memory' || (roles.includes('api') && roles.includes('projector'));
  let cacheInStep: (() => boolean) | undefined;
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
        ...(sharedCache ? { cache } : {}),
      });
      stops.push(projector.stop);
      caughtUp = async () => void (await projector.caughtUp());
      cacheInStep = projector.cacheInStep;
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
    if (roles.includes('notifier')) {
      const mailer = await container.get(TOKENS.mailer);
      const notifier = await supervise(
        NOTIFIER_NAME,
        () =>
          startNotifier({
            eventStore,
            documents,
            mailer,
            clock,
            logger: logger.child({ role: 'notifier' }),
            settings: {
              appName: config.APP_NAME,
              currency: config.CURRENCY,
              concurrency: config.NOTIFIER_CONCURRENCY,
              batchSize: config.NOTIFIER_BATCH_SIZE,
              pollIntervalMs: config.NOTIFIER_POLL_INTERVAL_MS,
              backoffBaseMs: config.NOTIFIER_BACKOFF_BASE_MS,
              backoffMaxMs: config.NOTIFIER_BACKOFF_MAX_MS,
              maxAttempts: config.NOTIFIER_MAX_ATTEMPTS,
              sendTimeoutMs: config.NOTIFIER_SEND_TIMEOUT_MS,
              leaseMs: config.NOTIFIER_LEASE_MS,
              staleAfterMs: config.NOTIFIER_STALE_AFTER_HOURS * 3_600_000,
            },
          }),
        logger,
      );
      stops.push(notifier.stop);
    }
    let url: string | undefined;
    if (roles.includes('api')) {
      const metrics = await container.get(TOKENS.metrics);
      const queue = await container.get(TOKENS.queue);
      const drain = createDrain();
      const projectionAdmin = createProjectionAdmin({ eventStore, documents, clock, logger: logger.child({ role: 'api' }), projections });
      stops.push(projectionAdmin.stop);
      registerGauges({ metrics, eventStore, documents, queue });
      const app = createApp({
        metrics,
        drain,
        logger: logger.child({ role: 'api' }),
        accounts: await container.get(TOKENS.accounts),
        tokens: await container.get(TOKENS.tokens),
        orders: await container.get(TOKENS.orders),
        products: await container.get(TOKENS.products),
        queries: {
          ...(await container.get(TOKENS.queries)),
          readOrder: createOrderReader({
            documents,
            ...(sharedCache ? { cache } : {}),
            ...(cacheInStep ? { trusted: cacheInStep } : {}),
            onLookup: (result) => metrics.cacheLookup(result),
            logger: logger.child({ role: 'api', component: 'orderCache' }),
          }),
        },
        projectionAdmin,
        deadLetters: createDeadLetters(queue, documents, clock),
        audit: await container.get(TOKENS.audit),
        waitForPosition: createWaitForPosition((names, position) =>
          waitForCheckpoint(documents, names, position, config.MIN_POSITION_WAIT_MS),
        ),
        bodyLimit: config.BODY_LIMIT,
        trustProxy: config.TRUST_PROXY,
        readiness: async () => ({
          eventStore: await settle(() => eventStore.headPosition()),
          documents: await settle(() => documents.ping()),
          queue: await settle(() => queue.ping()),
          // Mail retries on its own, so a mail outage degrades rather than takes the service out.
          notifier: await emailBacklog(documents, clock).then(
            (backlog) => (backlog.oldestDueMs > 5 * 60_000 ? 'degraded' : 'ok'),
            () => 'degraded' as const,
          ),
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
