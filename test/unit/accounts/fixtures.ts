import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createAccounts } from '../../../src/application/accounts/index.js';
import { accountsSettings, type AccountsOverrides } from '../../support/settings.js';
import type { Cache, Clock } from '../../../src/application/ports/index.js';
import type { PasswordHasher } from '../../../src/application/ports/security.js';
import { createMemoryCache } from '../../../src/infrastructure/cache/index.js';
import { createSqliteDocumentStore } from '../../../src/infrastructure/documents/index.js';
import { createMailboxMailer } from '../../../src/infrastructure/mail/index.js';
import { otpFromMailbox, readMailbox } from './mailbox.js';
import {
  argon2Minimums,
  createArgon2Hasher,
  createJwtAccessTokens,
} from '../../../src/infrastructure/security/index.js';

export const fixedClock = (start = new Date('2030-01-01T00:00:00.000Z')) => {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance: (seconds: number) => void (now += seconds * 1000),
  } satisfies Clock & { advance(seconds: number): void };
};

export { readMailbox };

export const tempDir = () => mkdtemp(join(tmpdir(), 'accounts-test-'));

/** Log lines as a pino logger writes them, kept for the test to read. */
export const memoryLogger = () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
};

/** Every key and value written through the real cache, so a test can scan what was stored. */
export const recordingCache = (inner: Cache) => {
  const written: string[] = [];
  const cache: Cache = {
    ...inner,
    set: (key, value, ttl) => (written.push(key, value), inner.set(key, value, ttl)),
    setIfAbsent: (key, value, ttl) => (
      written.push(key, value),
      inner.setIfAbsent(key, value, ttl)
    ),
    increment: (key, ttl) => (written.push(key), inner.increment(key, ttl)),
  };
  return { cache, written };
};

/** The real hasher, counting verifications. */
export const countingHasher = (inner: PasswordHasher) => {
  const calls = { hash: 0, verify: 0 };
  const hasher: PasswordHasher = {
    hash: (password) => (calls.hash++, inner.hash(password)),
    verify: (hash, password) => (calls.verify++, inner.verify(hash, password)),
  };
  return { hasher, calls };
};

export const testSecret = 'test-secret-that-is-at-least-32-characters-long';
export const jwtSettings = {
  secret: 'jwt-secret-that-is-at-least-32-bytes-long!',
  issuer: 'order-ledger',
  audience: 'order-ledger-api',
};

/** Accounts on the embedded adapters: SQLite file, in-process cache, mailbox folder, argon2, JWT. */
export const createWorld = async (settings: AccountsOverrides = {}) => {
  const dir = await tempDir();
  const mailDir = join(dir, 'mail');
  const clock = fixedClock();
  const documents = createSqliteDocumentStore({ path: join(dir, 'accounts.db') });
  const { cache, written } = recordingCache(createMemoryCache());
  const { logger, lines } = memoryLogger();
  const { hasher, calls } = countingHasher(createArgon2Hasher({ ...argon2Minimums }));
  const tokens = createJwtAccessTokens({ ...jwtSettings, clock });
  const mailer = createMailboxMailer({
    dir: mailDir,
    from: 'Order Ledger <no-reply@example.test>',
    logger,
    clock,
  });
  const accounts = createAccounts(
    { documents, cache, mailer, clock, hasher, tokens, logger },
    accountsSettings({ secret: testSecret, ...settings }),
  );
  let ip = 0;
  return {
    accounts,
    clock,
    documents,
    cache,
    cacheWrites: written,
    logLines: lines,
    hasherCalls: calls,
    tokens,
    dir,
    mailDir,
    mails: () => readMailbox(mailDir),
    otpFor: (email: string) => otpFromMailbox(mailDir, email),
    /** A fresh client address, so tests do not share per-IP counters unless they mean to. */
    nextIp: () => `192.0.2.${++ip}`,
    async close() {
      await documents.close();
      await cache.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
};

export type World = Awaited<ReturnType<typeof createWorld>>;

let sequence = 0;
/** A fresh email per test, so nothing leaks from one to the next. */
export const freshEmail = () => `user${Date.now().toString(36)}${++sequence}@example.test`;

export const registered = async (
  world: World,
  overrides: { email?: string; password?: string } = {},
) => {
  const email = overrides.email ?? freshEmail();
  const password = overrides.password ?? 'correct horse battery';
  await world.accounts.requestEmailOtp({ email, ip: world.nextIp() });
  const otp = await world.otpFor(email);
  const user = await world.accounts.register({
    name: 'Ada Lovelace',
    email,
    phone: '+44 20 7946 0000',
    password,
    confirmPassword: password,
    otp,
    ip: world.nextIp(),
  });
  return { email, password, user };
};

/** The error a promise rejects with; fails the test when it resolves. */
export const testPassword = 'correct horse battery';

/** Registers with the code the person received, as the API's register call would. */
export const registerWithOtp = (
  world: World,
  email: string,
  otp: string,
  overrides: Record<string, string> = {},
) =>
  world.accounts.register({
    name: '  Ada Lovelace ',
    email,
    phone: '+44 20 7946 0000',
    password: testPassword,
    confirmPassword: testPassword,
    otp,
    ip: world.nextIp(),
    ...overrides,
  });

export const rejects = async (promise: Promise<unknown>): Promise<Error> => {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
};
