import 'reflect-metadata';
import { join } from 'node:path';
import { Container } from 'inversify';
import type { ResolutionContext, ServiceIdentifier } from 'inversify';
import type { Config } from './config.js';
import { accountsSettingsOf, notifierSettingsOf } from './config.js';
import { createAccounts, createRecipients } from './application/accounts/index.js';
import type { Accounts, AccessTokens, PasswordHasher } from './application/accounts/index.js';
import { createOrderHandler } from './application/orders/index.js';
import type { OrderHandler } from './application/orders/index.js';
import { createProductHandler } from './application/products/index.js';
import type { ProductHandler } from './application/products/index.js';
import { systemClock } from './application/ports/index.js';
import type {
  Cache,
  Clock,
  DocumentStore,
  EventStore,
  Logger,
  Mailer,
  Metrics,
  Queue,
} from './application/ports/index.js';
import {
  createOrderCacheSync,
  createOrderReader,
  createProjectionAdmin,
  createQueries,
  waitForCheckpoint,
} from './projections/index.js';
import type { CacheSync, OrderReader, ProjectionAdmin, Queries } from './projections/index.js';
import { createMemoryCache, createRedisCache } from './infrastructure/cache/index.js';
import {
  createMongoDocumentStore,
  createSqliteDocumentStore,
} from './infrastructure/documents/index.js';
import { createEsdbEventStore, createSqliteEventStore } from './infrastructure/eventStore/index.js';
import { upcasters, withUpcasting } from './application/upcasting/index.js';
import { createAudit } from './audit/index.js';
import type { Audit } from './audit/index.js';
import { createApp } from './api/app.js';
import { createDrain } from './api/middleware/drain.js';
import type { Drain } from './api/middleware/drain.js';
import { createWaitForPosition } from './api/middleware/minPosition.js';
import type { WaitForPosition } from './api/middleware/minPosition.js';
import { createDeadLetters } from './consumers/deadLetters.js';
import type { DeadLetters } from './consumers/deadLetters.js';
import { startForwarder } from './consumers/forwarder.js';
import { startNotifier } from './consumers/notifier/index.js';
import { startOrderProcessor } from './consumers/orderProcessor.js';
import { startApi } from './roles/api.js';
import { registerGauges } from './roles/gauges.js';
import { startProjector } from './roles/projector.js';
import { createReadiness } from './roles/readiness.js';
import type { Readiness } from './roles/readiness.js';
import type { RunningRole } from './roles/running.js';
import { supervise } from './roles/supervise.js';
import { PROCESS_ROLES, projections, readModels, subscriptions } from './subscriptions.js';
import type { ProcessRole } from './subscriptions.js';
import { createMailboxMailer, createSesMailer } from './infrastructure/mail/index.js';
import { createPrometheusMetrics } from './infrastructure/metrics/index.js';
import { createSqliteQueue, createSqsQueue } from './infrastructure/queue/index.js';
import { createArgon2Hasher, createJwtAccessTokens } from './infrastructure/security/index.js';

/** The only place that knows which adapter serves which port. */
export const TOKENS = {
  config: Symbol.for('Config') as ServiceIdentifier<Config>,
  logger: Symbol.for('Logger') as ServiceIdentifier<Logger>,
  clock: Symbol.for('Clock') as ServiceIdentifier<Clock>,
  eventStore: Symbol.for('EventStore') as ServiceIdentifier<EventStore>,
  documents: Symbol.for('DocumentStore') as ServiceIdentifier<DocumentStore>,
  cache: Symbol.for('Cache') as ServiceIdentifier<Cache>,
  mailer: Symbol.for('Mailer') as ServiceIdentifier<Mailer>,
  hasher: Symbol.for('PasswordHasher') as ServiceIdentifier<PasswordHasher>,
  tokens: Symbol.for('AccessTokens') as ServiceIdentifier<AccessTokens>,
  accounts: Symbol.for('Accounts') as ServiceIdentifier<Accounts>,
  orders: Symbol.for('OrderHandler') as ServiceIdentifier<OrderHandler>,
  products: Symbol.for('ProductHandler') as ServiceIdentifier<ProductHandler>,
  queries: Symbol.for('Queries') as ServiceIdentifier<Queries>,
  queue: Symbol.for('Queue') as ServiceIdentifier<Queue>,
  metrics: Symbol.for('Metrics') as ServiceIdentifier<Metrics>,
  audit: Symbol.for('Audit') as ServiceIdentifier<Audit>,
  /** The cache in front of order lookups; null where no projector can keep it fresh (a memory cache in another process). */
  orderCache: Symbol.for('OrderCache') as ServiceIdentifier<Cache | null>,
  /** The projector's side of the order cache; null unless this process runs the projector with a cache to keep. */
  orderCacheSync: Symbol.for('OrderCacheSync') as ServiceIdentifier<CacheSync | null>,
  orderReader: Symbol.for('OrderReader') as ServiceIdentifier<OrderReader>,
  projectionAdmin: Symbol.for('ProjectionAdmin') as ServiceIdentifier<ProjectionAdmin>,
  deadLetters: Symbol.for('DeadLetters') as ServiceIdentifier<DeadLetters>,
  waitForPosition: Symbol.for('WaitForPosition') as ServiceIdentifier<WaitForPosition>,
  readiness: Symbol.for('Readiness') as ServiceIdentifier<Readiness>,
  drain: Symbol.for('Drain') as ServiceIdentifier<Drain>,
  /** Each process role's start: `() → { stop, done }`. */
  roles: Object.fromEntries(
    PROCESS_ROLES.map((role) => [role, Symbol.for(`Role:${role}`) as ServiceIdentifier<StartRole>]),
  ) as Record<ProcessRole, ServiceIdentifier<StartRole>>,
} as const;

export type StartRole = () => Promise<RunningRole>;

export type AppContainer = {
  get<T>(token: ServiceIdentifier<T>): Promise<T>;
  /** Closes every client that was opened, newest first. */
  close(): Promise<void>;
};

/**
 * Binds every piece of the service, and which adapter serves each port. `roles` are the process
 * roles this process runs: they decide whether a memory cache can front order lookups (only beside
 * the projector that keeps it fresh).
 */
export const createContainer = (
  config: Config,
  logger: Logger,
  clock: Clock = systemClock,
  roles: readonly ProcessRole[] = PROCESS_ROLES,
): AppContainer => {
  const container = new Container({ defaultScope: 'Singleton' });
  const closers: Array<{ name: string; close: () => Promise<void> }> = [];
  const closing = <T extends { close(): Promise<void> }>(name: string, client: T): T => {
    closers.push({ name, close: () => client.close() });
    return client;
  };
  const dataFile = (name: string) => join(config.DATA_DIR, name);
  const awsCredentials =
    config.AWS_ACCESS_KEY_ID && config.AWS_SECRET_ACCESS_KEY
      ? {
          credentials: {
            accessKeyId: config.AWS_ACCESS_KEY_ID,
            secretAccessKey: config.AWS_SECRET_ACCESS_KEY,
          },
        }
      : {};

  container.bind(TOKENS.config).toConstantValue(config);
  container.bind(TOKENS.logger).toConstantValue(logger);
  container.bind(TOKENS.clock).toConstantValue(clock);
  container.bind(TOKENS.metrics).toDynamicValue(() => createPrometheusMetrics(logger));

  container
    .bind(TOKENS.eventStore)
    // Every read path (commands, projections, consumers, audit, export) sees events upcast to
    // their current shape, because every one of them reads through this wrapper.
    .toDynamicValue(() =>
      withUpcasting(
        closing(
          'eventStore',
          config.EVENT_STORE === 'esdb'
            ? createEsdbEventStore({ connectionString: config.EVENTSTORE_URL! })
            : createSqliteEventStore({
                path: dataFile('events.db'),
                synchronous: config.SQLITE_SYNCHRONOUS,
              }),
        ),
        upcasters,
      ),
    );
  container.bind(TOKENS.documents).toDynamicValue(() =>
    closing(
      'documents',
      config.DOCUMENTS === 'mongo'
        ? createMongoDocumentStore({
            url: config.MONGODB_URL!,
            database: config.MONGODB_DATABASE,
          })
        : createSqliteDocumentStore({ path: dataFile('documents.db') }),
    ),
  );
  container
    .bind(TOKENS.cache)
    .toDynamicValue(() =>
      closing(
        'cache',
        config.CACHE === 'redis'
          ? createRedisCache({ url: config.REDIS_URL!, keyPrefix: config.REDIS_KEY_PREFIX })
          : createMemoryCache({}),
      ),
    );
  container.bind(TOKENS.queue).toDynamicValue(() =>
    closing(
      'queue',
      config.QUEUE === 'sqs'
        ? createSqsQueue({
            ...(config.SQS_ENDPOINT ? { endpoint: config.SQS_ENDPOINT } : {}),
            region: config.AWS_REGION,
            ...awsCredentials,
            queueName: config.QUEUE_NAME,
            create: config.SQS_CREATE_QUEUES,
            visibilityTimeoutSeconds: config.QUEUE_VISIBILITY_TIMEOUT_SECONDS,
            maxReceiveCount: config.QUEUE_MAX_RECEIVE_COUNT,
          })
        : createSqliteQueue({
            path: dataFile('queue.db'),
            name: config.QUEUE_NAME,
            visibilityTimeoutSeconds: config.QUEUE_VISIBILITY_TIMEOUT_SECONDS,
            maxReceiveCount: config.QUEUE_MAX_RECEIVE_COUNT,
          }),
    ),
  );
  container.bind(TOKENS.mailer).toDynamicValue(() =>
    closing(
      'mailer',
      config.MAIL === 'ses'
        ? createSesMailer({
            from: config.MAIL_FROM,
            region: config.AWS_REGION,
            ...(config.SES_ENDPOINT ? { endpoint: config.SES_ENDPOINT } : {}),
            ...(config.SES_CONFIGURATION_SET
              ? { configurationSet: config.SES_CONFIGURATION_SET }
              : {}),
            ...awsCredentials,
            maxAttempts: config.SES_MAX_ATTEMPTS,
            requestTimeoutMs: config.SES_REQUEST_TIMEOUT_MS,
          })
        : createMailboxMailer({
            dir: config.MAIL_DIR,
            from: config.MAIL_FROM,
            logger: logger.child({ component: 'mail' }),
          }),
    ),
  );

  container.bind(TOKENS.hasher).toDynamicValue(() =>
    createArgon2Hasher({
      memoryCost: config.ARGON2_MEMORY_KIB,
      timeCost: config.ARGON2_TIME_COST,
    }),
  );
  container.bind(TOKENS.tokens).toDynamicValue(() =>
    createJwtAccessTokens({
      secret: config.JWT_SECRET,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      clock,
    }),
  );
  container.bind(TOKENS.accounts).toDynamicValue(async (context) =>
    createAccounts(
      {
        documents: await context.getAsync(TOKENS.documents),
        cache: await context.getAsync(TOKENS.cache),
        mailer: await context.getAsync(TOKENS.mailer),
        clock,
        hasher: await context.getAsync(TOKENS.hasher),
        tokens: await context.getAsync(TOKENS.tokens),
        logger: logger.child({ component: 'accounts' }),
      },
      accountsSettingsOf(config),
    ),
  );

  container
    .bind(TOKENS.orders)
    .toDynamicValue(async (context) =>
      createOrderHandler(await context.getAsync(TOKENS.eventStore)),
    );
  container
    .bind(TOKENS.products)
    .toDynamicValue(async (context) =>
      createProductHandler(await context.getAsync(TOKENS.eventStore)),
    );
  container.bind(TOKENS.queries).toDynamicValue(async (context) =>
    createQueries({
      eventStore: await context.getAsync(TOKENS.eventStore),
      documents: await context.getAsync(TOKENS.documents),
      readOrder: await context.getAsync(TOKENS.orderReader),
    }),
  );

  container.bind(TOKENS.audit).toDynamicValue(async (context) =>
    createAudit({
      eventStore: await context.getAsync(TOKENS.eventStore),
      documents: await context.getAsync(TOKENS.documents),
      clock,
      timelineIndex: readModels.orderTimeline,
    }),
  );

  bindReadSide(container, config, logger, clock, roles, closing);
  bindRoles(container, config, logger, clock);

  return {
    get: (token) => container.getAsync(token),
    close: async () => {
      for (const { name, close } of closers.reverse()) {
        try {
          await close();
        } catch (error) {
          logger.warn({ err: error, client: name }, 'closing a client failed');
        }
      }
      closers.length = 0;
    },
  };
};

type Closing = <T extends { close(): Promise<void> }>(name: string, client: T) => T;

/** The read side as the api and the projector share it: the order cache, its reader, admin, waiting. */
const bindReadSide = (
  container: Container,
  config: Config,
  logger: Logger,
  clock: Clock,
  roles: readonly ProcessRole[],
  closing: Closing,
) => {
  // A memory cache is private to its process: order lookups use it only beside the projector that keeps it fresh.
  const cacheShared =
    config.CACHE !== 'memory' || (roles.includes('api') && roles.includes('projector'));
  container
    .bind(TOKENS.orderCache)
    .toDynamicValue(async (context) => (cacheShared ? await context.getAsync(TOKENS.cache) : null));
  container.bind(TOKENS.orderCacheSync).toDynamicValue(async (context) => {
    const cache = await context.getAsync(TOKENS.orderCache);
    if (!cache || !roles.includes('projector')) return null;
    const sync = await createOrderCacheSync({
      cache,
      documents: await context.getAsync(TOKENS.documents),
      name: subscriptions.orderCache.name,
      projectionName: readModels.orders.name,
      clock,
      logger: logger.child({ role: 'projector', component: 'orderCache' }),
    });
    closing('orderCacheSync', { close: () => sync.stop() });
    return sync;
  });
  container.bind(TOKENS.orderReader).toDynamicValue(async (context) => {
    const [cache, sync, metrics] = await Promise.all([
      context.getAsync(TOKENS.orderCache),
      context.getAsync(TOKENS.orderCacheSync),
      context.getAsync(TOKENS.metrics),
    ]);
    return createOrderReader({
      documents: await context.getAsync(TOKENS.documents),
      ...(cache ? { cache } : {}),
      // A projector in this process says whether its cache holds every committed change.
      ...(roles.includes('projector') ? { trusted: () => sync?.healthy() ?? false } : {}),
      onLookup: (result) => metrics.cacheLookup(result),
      logger: logger.child({ role: 'api', component: 'orderCache' }),
    });
  });
  container.bind(TOKENS.projectionAdmin).toDynamicValue(async (context) => {
    const admin = createProjectionAdmin({
      eventStore: await context.getAsync(TOKENS.eventStore),
      documents: await context.getAsync(TOKENS.documents),
      clock,
      logger: logger.child({ role: 'api' }),
      projections,
    });
    closing('projectionAdmin', { close: () => admin.stop() });
    return admin;
  });
  container.bind(TOKENS.deadLetters).toDynamicValue(async (context) =>
    createDeadLetters({
      queue: await context.getAsync(TOKENS.queue),
      documents: await context.getAsync(TOKENS.documents),
      clock,
      emailSource: subscriptions.notifier.name,
    }),
  );
  container.bind(TOKENS.waitForPosition).toDynamicValue(async (context) => {
    const documents = await context.getAsync(TOKENS.documents);
    return createWaitForPosition((names, position) =>
      waitForCheckpoint(documents, names, position, config.MIN_POSITION_WAIT_MS),
    );
  });
  container.bind(TOKENS.readiness).toDynamicValue(async (context) =>
    createReadiness({
      eventStore: await context.getAsync(TOKENS.eventStore),
      documents: await context.getAsync(TOKENS.documents),
      queue: await context.getAsync(TOKENS.queue),
      cache: await context.getAsync(TOKENS.cache),
      clock,
    }),
  );
  container.bind(TOKENS.drain).toDynamicValue(() => createDrain());
};

/** Each process role: what it runs, over which pieces, named as the register of subscriptions names it. */
const bindRoles = (container: Container, config: Config, logger: Logger, clock: Clock) => {
  const role = (
    name: ProcessRole,
    start: (context: ResolutionContext, logger: Logger) => Promise<RunningRole>,
  ) =>
    container
      .bind(TOKENS.roles[name])
      .toDynamicValue((context) => () => start(context, logger.child({ role: name })));

  role('projector', async (context, roleLogger) => {
    const sync = await context.getAsync(TOKENS.orderCacheSync);
    return startProjector({
      eventStore: await context.getAsync(TOKENS.eventStore),
      documents: await context.getAsync(TOKENS.documents),
      clock,
      logger: roleLogger,
      projections,
      batchSize: config.PROJECTION_BATCH_SIZE,
      ...(sync ? { orderCache: { sync, projection: readModels.orders.name } } : {}),
    });
  });
  role('forwarder', async (context, roleLogger) => {
    const deps = {
      name: subscriptions.forwarder.name,
      eventStore: await context.getAsync(TOKENS.eventStore),
      documents: await context.getAsync(TOKENS.documents),
      queue: await context.getAsync(TOKENS.queue),
      clock,
      logger: roleLogger,
      batchSize: config.FORWARDER_BATCH_SIZE,
    };
    return supervise(deps.name, () => startForwarder(deps), logger);
  });
  role('processor', async (context, roleLogger) =>
    startOrderProcessor({
      name: subscriptions.processor.name,
      queue: await context.getAsync(TOKENS.queue),
      orders: await context.getAsync(TOKENS.orders),
      products: await context.getAsync(TOKENS.products),
      logger: roleLogger,
      concurrency: config.PROCESSOR_CONCURRENCY,
      waitSeconds: config.PROCESSOR_WAIT_SECONDS,
    }),
  );
  role('notifier', async (context, roleLogger) => {
    const deps = {
      name: subscriptions.notifier.name,
      eventStore: await context.getAsync(TOKENS.eventStore),
      documents: await context.getAsync(TOKENS.documents),
      mailer: await context.getAsync(TOKENS.mailer),
      clock,
      logger: roleLogger,
      settings: notifierSettingsOf(config),
      recipients: createRecipients(await context.getAsync(TOKENS.documents)),
    };
    return supervise(deps.name, () => startNotifier(deps), logger);
  });
  role('api', async (context, roleLogger) => {
    const [metrics, eventStore, documents, queue, drain] = await Promise.all([
      context.getAsync(TOKENS.metrics),
      context.getAsync(TOKENS.eventStore),
      context.getAsync(TOKENS.documents),
      context.getAsync(TOKENS.queue),
      context.getAsync(TOKENS.drain),
    ]);
    registerGauges({ metrics, eventStore, documents, queue });
    const app = createApp({
      metrics,
      drain,
      logger: roleLogger,
      accounts: await context.getAsync(TOKENS.accounts),
      tokens: await context.getAsync(TOKENS.tokens),
      orders: await context.getAsync(TOKENS.orders),
      products: await context.getAsync(TOKENS.products),
      queries: await context.getAsync(TOKENS.queries),
      projectionAdmin: await context.getAsync(TOKENS.projectionAdmin),
      deadLetters: await context.getAsync(TOKENS.deadLetters),
      audit: await context.getAsync(TOKENS.audit),
      waitForPosition: await context.getAsync(TOKENS.waitForPosition),
      readiness: await context.getAsync(TOKENS.readiness),
      bodyLimit: config.BODY_LIMIT,
      trustProxy: config.TRUST_PROXY,
    });
    return startApi({
      app,
      port: config.PORT,
      host: config.HOST,
      logger,
      drain,
      graceMs: config.SHUTDOWN_GRACE_MS,
    });
  });
};
