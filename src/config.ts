import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { AccountsSettings } from './application/accounts/index.js';
import type { NotifierSettings } from './consumers/notifier/index.js';

const int = (fallback: number, description: string, min = 0) =>
  z.coerce.number().int().min(min).default(fallback).describe(description);
const bool = (fallback: boolean, description: string) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1')
    .describe(description);

/** Every setting: name, type, default where one is safe, and one line saying what it does. */
export const configSchema = z.object({
  PROFILE: z
    .enum(['embedded', 'production'])
    .default('embedded')
    .describe(
      'embedded: one process, no servers, generated secrets; production: secrets must be given',
    ),
  PORT: int(3000, 'HTTP port (0 picks a free one)'),
  HOST: z.string().default('0.0.0.0').describe('HTTP bind address'),
  DATA_DIR: z
    .string()
    .default('data')
    .describe('Folder for embedded data (SQLite files, mailbox, generated secrets)'),
  MAIL_DIR: z
    .string()
    .optional()
    .describe('Mailbox folder of the embedded mail adapter (default <DATA_DIR>/mailbox)'),
  MAIL_FROM: z.string().default('orders@example.com').describe('Sender address of every email'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level'),

  EVENT_STORE: z
    .enum(['sqlite', 'esdb'])
    .default('sqlite')
    .describe('Event store adapter: sqlite (embedded) or esdb (EventStoreDB / KurrentDB)'),
  EVENTSTORE_URL: z
    .string()
    .optional()
    .describe('EventStoreDB connection string, e.g. esdb://localhost:2113?tls=false'),
  SQLITE_SYNCHRONOUS: z
    .enum(['NORMAL', 'FULL'])
    .default('FULL')
    .describe(
      'SQLite event-store durability: FULL survives power loss; NORMAL only process crashes (may reuse positions after power loss)',
    ),
  DOCUMENTS: z
    .enum(['sqlite', 'mongo'])
    .default('sqlite')
    .describe('Document store adapter (read models, accounts, checkpoints)'),
  MONGODB_URL: z.string().optional().describe('MongoDB connection string'),
  MONGODB_DATABASE: z.string().default('orders').describe('MongoDB database name'),
  CACHE: z
    .enum(['memory', 'redis'])
    .default('memory')
    .describe('Cache adapter (order lookups, OTPs, rate limits)'),
  REDIS_URL: z.string().optional().describe('Redis URL, e.g. redis://localhost:6379'),
  REDIS_KEY_PREFIX: z
    .string()
    .default('orders:')
    .describe('Prefix of every Redis key this service writes'),

  QUEUE: z
    .enum(['sqlite', 'sqs'])
    .default('sqlite')
    .describe('Queue adapter between the forwarder and the order processor'),
  QUEUE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,70}$/)
    .default('orders')
    .describe('Queue name (SQS: <name>.fifo and <name>-dlq.fifo)'),
  SQS_ENDPOINT: z
    .string()
    .optional()
    .describe('SQS endpoint override (ElasticMQ, LocalStack); unset for AWS'),
  AWS_REGION: z.string().default('us-east-1').describe('AWS region of SQS and SES'),
  AWS_ACCESS_KEY_ID: z
    .string()
    .optional()
    .describe('AWS credentials (unset: the SDK default provider chain)'),
  AWS_SECRET_ACCESS_KEY: z
    .string()
    .optional()
    .describe('AWS credentials (unset: the SDK default provider chain)'),
  SQS_CREATE_QUEUES: bool(
    true,
    'Create the FIFO queue and its dead-letter queue at start when missing',
  ),
  QUEUE_VISIBILITY_TIMEOUT_SECONDS: int(
    30,
    'How long a received message stays hidden before it is delivered again',
    1,
  ),
  QUEUE_MAX_RECEIVE_COUNT: int(
    5,
    'Deliveries of one message before it moves to the dead letters',
    1,
  ),
  PROCESSOR_CONCURRENCY: int(
    128,
    "Order messages the processor handles at once (each waits on event-store writes and the queue's acknowledgement: throughput is at most this ÷ a message's time in the processor)",
    1,
  ),
  PROCESSOR_WAIT_SECONDS: int(2, 'Long-poll wait of each receive (SQS at most 20)', 0),
  FORWARDER_BATCH_SIZE: int(100, 'OrderPlaced events the forwarder sends per batch', 1),

  MAIL: z
    .enum(['mailbox', 'ses'])
    .default('mailbox')
    .describe('Mail adapter: mailbox (.eml files in MAIL_DIR) or ses'),
  SES_ENDPOINT: z
    .string()
    .optional()
    .describe('SES endpoint override (aws-ses-v2-local); unset for AWS'),
  SES_CONFIGURATION_SET: z
    .string()
    .optional()
    .describe('SES configuration set for event publishing'),
  SES_MAX_ATTEMPTS: int(3, 'SDK attempts per SES send', 1),
  SES_REQUEST_TIMEOUT_MS: int(
    5000,
    'Timeout of one SES request (× attempts must stay under NOTIFIER_SEND_TIMEOUT_MS)',
    1,
  ),
  APP_NAME: z.string().default('Order Ledger').describe('Name shown in emails'),
  CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('USD')
    .describe('ISO 4217 currency amounts are shown in'),
  NOTIFIER_CONCURRENCY: int(
    4,
    'Orders whose emails are sent at once (one order’s emails always in order)',
    1,
  ),
  NOTIFIER_BATCH_SIZE: int(200, 'Order events the notifier records per committed batch', 1),
  NOTIFIER_POLL_INTERVAL_MS: int(
    1000,
    'Longest the email sender sleeps before looking for due mail',
    1,
  ),
  NOTIFIER_BACKOFF_BASE_MS: int(
    1000,
    'First retry delay of a failed send (doubles, with jitter)',
    1,
  ),
  NOTIFIER_BACKOFF_MAX_MS: int(300_000, 'Longest retry delay of a failed send', 1),
  NOTIFIER_MAX_ATTEMPTS: int(
    30,
    'Attempts before an email is given up and shown with the dead letters',
    1,
  ),
  NOTIFIER_SEND_TIMEOUT_MS: int(
    30_000,
    'Longest one send may take before its outcome counts as unknown',
    1,
  ),
  NOTIFIER_LEASE_MS: int(
    60_000,
    'How long a claimed email belongs to its sender (must exceed the send timeout)',
    1,
  ),
  NOTIFIER_STALE_AFTER_HOURS: int(
    72,
    'Events older than this when first seen are recorded, not mailed (0: off)',
  ),

  JWT_SECRET: z
    .string()
    .min(32)
    .optional()
    .describe('HMAC key for access tokens (≥ 32 chars; generated in embedded)'),
  OTP_SECRET: z
    .string()
    .min(32)
    .optional()
    .describe('HMAC key for stored OTP hashes (≥ 32 chars; generated in embedded)'),
  JWT_ISSUER: z.string().default('order-ledger').describe('Access token issuer (iss)'),
  JWT_AUDIENCE: z.string().default('order-ledger-api').describe('Access token audience (aud)'),
  ACCESS_TOKEN_TTL_SECONDS: int(900, 'Access token lifetime (at most 900)', 1).refine(
    (v) => v <= 900,
    'at most 900 seconds',
  ),
  REFRESH_TOKEN_TTL_DAYS: int(30, 'Refresh token absolute lifetime', 1),
  ARGON2_MEMORY_KIB: int(19456, 'argon2id memory cost in KiB (at least 19456)', 19456),
  ARGON2_TIME_COST: int(2, 'argon2id iterations (at least 2)', 2),
  OTP_TTL_SECONDS: int(600, 'How long an emailed registration code stays valid', 1),
  OTP_MAX_ATTEMPTS: int(5, 'Wrong codes an OTP survives before it is gone', 1),
  LOGIN_MAX_FAILURES: int(5, 'Failed logins per email in a window before 429 (per IP: 10×)', 1),
  LOGIN_WINDOW_SECONDS: int(900, 'Window of the login failure limit', 1),
  EMAIL_VERIFY_MAX: int(3, 'OTP requests per email in a window before 429 (per IP: 10×)', 1),
  EMAIL_VERIFY_WINDOW_SECONDS: int(600, 'Window of the OTP request limit', 1),
  REGISTER_MAX: int(10, 'Registrations per IP in a window before 429', 1),
  REGISTER_WINDOW_SECONDS: int(3600, 'Window of the registration limit', 1),

  SHUTDOWN_GRACE_MS: int(
    10_000,
    'On SIGTERM, how long requests in flight may take before connections are closed',
  ),
  BODY_LIMIT: z.string().default('100kb').describe('Largest accepted request body'),
  TRUST_PROXY: bool(false, 'Trust X-Forwarded-For (behind a load balancer)'),
  MIN_POSITION_WAIT_MS: int(2000, 'Longest a read with X-Min-Position waits for the read models'),
  PROJECTION_BATCH_SIZE: int(500, 'Events a projection applies per committed batch', 1),
});

export type Config = z.output<typeof configSchema> & {
  MAIL_DIR: string;
  JWT_SECRET: string;
  OTP_SECRET: string;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Secrets = { JWT_SECRET: string; OTP_SECRET: string };

/** Embedded profile only: secrets generated once and kept beside the data, so tokens survive restarts. */
const embeddedSecrets = (dataDir: string): Secrets => {
  const file = join(dataDir, '.secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets = {
    JWT_SECRET: randomBytes(48).toString('base64url'),
    OTP_SECRET: randomBytes(48).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
};

/** Validates the environment once; a bad or missing value stops start-up with a clear message. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
      .join('\n');
    throw new ConfigError(`Invalid configuration:\n${problems}`);
  }
  const config = parsed.data;
  const required: Array<[boolean, string]> = [
    [
      config.EVENT_STORE === 'esdb' && !config.EVENTSTORE_URL,
      'EVENTSTORE_URL is required when EVENT_STORE=esdb',
    ],
    [
      config.DOCUMENTS === 'mongo' && !config.MONGODB_URL,
      'MONGODB_URL is required when DOCUMENTS=mongo',
    ],
    [config.CACHE === 'redis' && !config.REDIS_URL, 'REDIS_URL is required when CACHE=redis'],
    [
      Boolean(config.AWS_ACCESS_KEY_ID) !== Boolean(config.AWS_SECRET_ACCESS_KEY),
      'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together',
    ],
    [
      config.PROFILE === 'production' && !config.JWT_SECRET,
      'JWT_SECRET is required in the production profile',
    ],
    [
      config.PROFILE === 'production' && !config.OTP_SECRET,
      'OTP_SECRET is required in the production profile',
    ],
  ];
  const missing = required.filter(([failed]) => failed).map(([, message]) => `  ${message}`);
  if (missing.length > 0) throw new ConfigError(`Invalid configuration:\n${missing.join('\n')}`);
  const generated =
    config.JWT_SECRET && config.OTP_SECRET ? undefined : embeddedSecrets(config.DATA_DIR);
  return {
    ...config,
    JWT_SECRET: config.JWT_SECRET ?? generated!.JWT_SECRET,
    OTP_SECRET: config.OTP_SECRET ?? generated!.OTP_SECRET,
    MAIL_DIR: config.MAIL_DIR ?? join(config.DATA_DIR, 'mailbox'),
  };
};

/** What accounts need of the configuration: the one place its defaults come from. */
export const accountsSettingsOf = (config: Config): AccountsSettings => ({
  secret: config.OTP_SECRET,
  appName: config.APP_NAME,
  otpTtlSeconds: config.OTP_TTL_SECONDS,
  otpMaxAttempts: config.OTP_MAX_ATTEMPTS,
  refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_DAYS * 24 * 3600,
  limits: {
    loginFailuresPerEmail: {
      limit: config.LOGIN_MAX_FAILURES,
      windowSeconds: config.LOGIN_WINDOW_SECONDS,
    },
    loginFailuresPerIp: {
      limit: config.LOGIN_MAX_FAILURES * 10,
      windowSeconds: config.LOGIN_WINDOW_SECONDS,
    },
    emailVerifyPerEmail: {
      limit: config.EMAIL_VERIFY_MAX,
      windowSeconds: config.EMAIL_VERIFY_WINDOW_SECONDS,
    },
    emailVerifyPerIp: {
      limit: config.EMAIL_VERIFY_MAX * 10,
      windowSeconds: config.EMAIL_VERIFY_WINDOW_SECONDS,
    },
    registerPerIp: { limit: config.REGISTER_MAX, windowSeconds: config.REGISTER_WINDOW_SECONDS },
  },
});

/** What the notifier needs of the configuration. */
export const notifierSettingsOf = (config: Config): NotifierSettings => ({
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
});

/** The configuration table of the README, from the schema itself. */
export const configTable = (): string => {
  const rows = Object.entries(configSchema.shape).map(([name, schema]) => {
    const fallback = (schema as z.ZodType).safeParse(undefined);
    const shown =
      fallback.success && fallback.data !== undefined ? `\`${String(fallback.data)}\`` : '—';
    return `| \`${name}\` | ${shown} | ${(schema as z.ZodType).description ?? ''} |`;
  });
  return ['| Variable | Default | Meaning |', '|---|---|---|', ...rows].join('\n');
};
