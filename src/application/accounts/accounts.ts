import type { AccountsContext, AccountsDeps } from './context.js';
import { hmacHex } from './hashing.js';
import { createOtps } from './otp.js';
import { createRefreshTokens } from './refreshTokens.js';
import { createRegistration } from './registration.js';
import { createSessions } from './sessions.js';
import { resolveAccountsSettings, type AccountsSettings } from './settings.js';
import { usersCollection, type UserDoc } from './users.js';

/**
 * Accounts: registration with an emailed code, password login, rotating refresh tokens, and the
 * operator's `createUser`. Personal data stays in the `users` collection; everything else refers to
 * users by id.
 */
export const createAccounts = (deps: AccountsDeps, input: AccountsSettings) => {
  const settings = resolveAccountsSettings(input);
  const { documents, cache, clock, logger } = deps;
  const users = documents.collection<UserDoc>(usersCollection);
  const refreshTokens = createRefreshTokens(
    { documents, clock, ...(logger && { logger }) },
    { ttlSeconds: settings.refreshTokenTtlSeconds },
  );

  let indexes: Promise<void> | undefined;
  const ready = (): Promise<void> => {
    indexes ??= Promise.all([
      users.ensureIndex(['email'], { unique: true }),
      refreshTokens.ensureIndexes(),
    ]).then(
      () => undefined,
      (error: unknown) => {
        indexes = undefined;
        throw error;
      },
    );
    return indexes;
  };

  const ctx: AccountsContext = {
    ...deps,
    settings,
    users,
    refreshTokens,
    otps: createOtps(
      { cache, clock },
      {
        secret: settings.secret,
        ttlSeconds: settings.otpTtlSeconds,
        maxAttempts: settings.otpMaxAttempts,
      },
    ),
    emailKey: (email) => hmacHex(settings.secret, 'email', email).slice(0, 32),
    ready,
    findUserByEmail: async (email) => (await users.find({ email }, { limit: 1 }))[0] ?? null,
  };

  return { ...createRegistration(ctx), ...createSessions(ctx) };
};

export type Accounts = ReturnType<typeof createAccounts>;
