import type { AccountsSettings } from '../../src/application/accounts/index.js';
import { accountsSettingsOf, loadConfig, notifierSettingsOf } from '../../src/config.js';
import type { NotifierSettings } from '../../src/consumers/notifier/index.js';

/** The configuration's defaults (config.ts is their one source), with fixed secrets. */
export const defaultConfig = loadConfig({ JWT_SECRET: 'j'.repeat(40), OTP_SECRET: 'o'.repeat(40) });

export const notifierSettings = (overrides: Partial<NotifierSettings> = {}): NotifierSettings => ({
  ...notifierSettingsOf(defaultConfig),
  ...overrides,
});

export type AccountsOverrides = Partial<Omit<AccountsSettings, 'limits'>> & {
  limits?: Partial<AccountsSettings['limits']>;
};

export const accountsSettings = (overrides: AccountsOverrides = {}): AccountsSettings => {
  const defaults = accountsSettingsOf(defaultConfig);
  return { ...defaults, ...overrides, limits: { ...defaults.limits, ...overrides.limits } };
};
