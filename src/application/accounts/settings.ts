/** A fixed window: at most `limit` within `windowSeconds` from the first. */
export type WindowLimit = { limit: number; windowSeconds: number };

export type AccountsLimits = {
  /** Wrong passwords per email before every login for it is refused until the window ends. */
  loginFailuresPerEmail: WindowLimit;
  /** Wrong passwords from one IP, across emails (credential stuffing). */
  loginFailuresPerIp: WindowLimit;
  /** OTP requests per email: each one sends a mail, so this bounds mail bombing. */
  emailVerifyPerEmail: WindowLimit;
  emailVerifyPerIp: WindowLimit;
  registerPerIp: WindowLimit;
};

export type AccountsSettings = {
  /** Server secret (at least 32 characters) keying OTP hashes and the email hashes in cache keys. */
  secret: string;
  otpTtlSeconds: number;
  /** Wrong codes an OTP survives; the next attempt finds it gone. */
  otpMaxAttempts: number;
  /** Absolute lifetime of a login session: rotation never extends it. */
  refreshTokenTtlSeconds: number;
  /** Shown in mails. */
  appName: string;
  limits: AccountsLimits;
};

const positiveInteger = (name: string, value: number) => {
  if (!Number.isInteger(value) || value <= 0)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
};

/** Fails fast on a setting that would weaken or break the rules; the defaults are the configuration's (config.ts). */
export const resolveAccountsSettings = (settings: AccountsSettings): AccountsSettings => {
  if (typeof settings.secret !== 'string' || settings.secret.length < 32) {
    throw new RangeError('accounts secret must be at least 32 characters');
  }
  positiveInteger('otpTtlSeconds', settings.otpTtlSeconds);
  positiveInteger('otpMaxAttempts', settings.otpMaxAttempts);
  positiveInteger('refreshTokenTtlSeconds', settings.refreshTokenTtlSeconds);
  for (const [name, { limit, windowSeconds }] of Object.entries(settings.limits)) {
    positiveInteger(`limits.${name}.limit`, limit);
    positiveInteger(`limits.${name}.windowSeconds`, windowSeconds);
  }
  return settings;
};
