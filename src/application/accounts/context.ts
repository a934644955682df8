import type { Cache, Clock, Collection, DocumentStore, Mailer } from '../ports/index.js';
import type { AccessTokens, PasswordHasher } from '../ports/security.js';
import type { Otps } from './otp.js';
import type { RefreshTokens } from './refreshTokens.js';
import type { AccountsSettings } from './settings.js';
import type { UserDoc } from './users.js';

/** Structurally a pino logger; never handed passwords, codes, tokens or emails. */
export type AccountsLogger = {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
};

export type AccountsDeps = {
  documents: DocumentStore;
  cache: Cache;
  mailer: Mailer;
  clock: Clock;
  hasher: PasswordHasher;
  tokens: AccessTokens;
  logger?: AccountsLogger;
};

/** What the use cases share, built once by createAccounts. */
export type AccountsContext = AccountsDeps & {
  settings: AccountsSettings;
  users: Collection<UserDoc>;
  otps: Otps;
  refreshTokens: RefreshTokens;
  /** Stands in for the email in cache keys, so a cache dump lists no addresses. */
  emailKey(email: string): string;
  /** Resolves once the indexes exist (unique email above all). */
  ready(): Promise<void>;
  findUserByEmail(email: string): Promise<UserDoc | null>;
};
