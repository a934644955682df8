import 'reflect-metadata';
import { join } from 'node:path';
import { Container } from 'inversify';
import type { ServiceIdentifier } from 'inversify';
import type { Config } from './config.js';
import { createAccounts } from './application/accounts/index.js';
import type { Accounts, AccessTokens, PasswordHasher } from './application/accounts/index.js';
import { createOrderHandler } from './application/orders/index.js';
import type { OrderHandler } from './application/orders/index.js';
import { createProductHandler } from './application/products/index.js';
import type { ProductHandler } from './application/products/index.js';
import { systemClock } from './application/ports/index.js';
import type { Cache, Clock, DocumentStore, EventStore, Logger, Mailer, Metrics, Queue } from './application/ports/index.js';
import { createQueries } from './projections/index.js';
import type { Queries } from './projections/index.js';
import { createMemoryCache, createRedisCache } from './infrastructure/cache/index.js';
import { createMongoDocumentStore, createSqliteDocumentStore } from './infrastructure/documents/index.js';
import { createEsdbEventStore, createSqliteEventStore } from './infrastructure/eventStore/index.js';
import { upcasters, withUpcasting } from './application/upcasting/index.js';
import { createAudit } from './audit/index.js';
import type { Audit } from './audit/index.js';
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
} as const;

export type AppContainer = {
  get<T>(token: ServiceIdentifier<T>): Promise<T>;
  /** Closes every client that was opened, newest first. */
  close(): Promise<void>;
};

export const createContainer = (config: Config, logger: Logger, clock: Clock = systemClock): AppContainer => {
  const container = new Container({ defaultScope: 'Singleton' });
  const closers: Array<{ name: string; close: () => Promise<void> }> = [];
  const closing = <T extends { close(): Promise<void> }>(name: string, client: T): T => {
    closers.push({ name, close: () => client.close() });
    return client;
  };
  const dataFile = (name: string) => join(config.DATA_DIR, name);
  const awsCredentials =
    config.AWS_ACCESS_KEY_ID && config.AWS_SECRET_ACCESS_KEY
      ? { credentials: { accessKeyId: config.AWS_ACCESS_KEY_ID, secretAccessKey: config.AWS_SECRET_ACCESS_KEY } }
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
            : createSqliteEventStore({ path: dataFile('events.db'), synchronous: config.SQLITE_SYNCHRONOUS }),
        ),
        upcasters,
      ),
    );
  container
    .bind(TOKENS.documents)
    .toDynamicValue(() =>
      closing(
        'documents',
        config.DOCUMENTS === 'mongo'
          ? createMongoDocumentStore({ url: config.MONGODB_URL!, database: config.MONGODB_DATABASE })
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
            ...(config.SES_CONFIGURATION_SET ? { configurationSet: config.SES_CONFIGURATION_SET } : {}),
            ...awsCredentials,
            maxAttempts: config.SES_MAX_ATTEMPTS,
            requestTimeoutMs: config.SES_REQUEST_TIMEOUT_MS,
          })
        : createMailboxMailer({ dir: config.MAIL_DIR, from: config.MAIL_FROM, logger: logger.child({ component: 'mail' }) }),
    ),
  );

  container
    .bind(TOKENS.hasher)
    .toDynamicValue(() => createArgon2Hasher({ memoryCost: config.ARGON2_MEMORY_KIB, timeCost: config.ARGON2_TIME_COST }));
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
      {
        secret: config.OTP_SECRET,
        appName: config.APP_NAME,
        refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_DAYS * 24 * 3600,
        limits: {
          loginFailuresPerEmail: { limit: config.LOGIN_MAX_FAILURES, windowSeconds: config.LOGIN_WINDOW_SECONDS },
          loginFailuresPerIp: { limit: config.LOGIN_MAX_FAILURES * 10, windowSeconds: config.LOGIN_WINDOW_SECONDS },
          emailVerifyPerEmail: { limit: config.EMAIL_VERIFY_MAX, windowSeconds: config.EMAIL_VERIFY_WINDOW_SECONDS },
          emailVerifyPerIp: { limit: config.EMAIL_VERIFY_MAX * 10, windowSeconds: config.EMAIL_VERIFY_WINDOW_SECONDS },
          registerPerIp: { limit: config.REGISTER_MAX, windowSeconds: config.REGISTER_WINDOW_SECONDS },
        },
      },
    ),
  );

  container.bind(TOKENS.orders).toDynamicValue(async (context) => createOrderHandler(await context.getAsync(TOKENS.eventStore)));
  container
    .bind(TOKENS.products)
    .toDynamicValue(async (context) => createProductHandler(await context.getAsync(TOKENS.eventStore)));
  container
    .bind(TOKENS.queries)
    .toDynamicValue(async (context) =>
      createQueries({ eventStore: await context.getAsync(TOKENS.eventStore), documents: await context.getAsync(TOKENS.documents) }),
    );

  container.bind(TOKENS.audit).toDynamicValue(async (context) =>
    createAudit({
      eventStore: await context.getAsync(TOKENS.eventStore),
      documents: await context.getAsync(TOKENS.documents),
      clock,
    }),
  );

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
