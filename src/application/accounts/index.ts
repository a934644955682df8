export { createAccounts, type Accounts } from './accounts.js';
export type { AccountsDeps, AccountsLogger } from './context.js';
export type { CreateUser, Register, RequestEmailOtp } from './registration.js';
export type { Login, LoginResult, RefreshResult } from './sessions.js';
export {
  resolveAccountsSettings,
  type AccountsLimits,
  type AccountsSettings,
  type WindowLimit,
} from './settings.js';
export { rateLimit, failureLimit } from './rateLimit.js';
export { maySeeOrderOf, ownerToList } from './access.js';
export { otpMail, existingAccountMail } from './mailTemplates.js';
export {
  normaliseEmail,
  passwordPolicy,
  usersCollection,
  type UserDoc,
  type UserView,
} from './users.js';
export {
  refreshFamiliesCollection,
  refreshTokensCollection,
  type RefreshFamilyDoc,
  type RefreshTokenDoc,
} from './refreshTokens.js';
export {
  roles,
  isRole,
  type UserRole,
  type Actor,
  type AccessTokens,
  type PasswordHasher,
} from '../ports/security.js';
export { createRecipients, type Recipient, type Recipients } from './recipients.js';
