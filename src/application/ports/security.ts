/** Who is acting: the one thing an access token proves. Events carry `userId`, never personal data. */
export const roles = ['customer', 'admin', 'auditor'] as const;
export type UserRole = (typeof roles)[number];
export type Actor = { userId: string; role: UserRole };

export const isRole = (value: unknown): value is UserRole => roles.includes(value as UserRole);

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password or an unreadable hash; never throws for either. */
  verify(hash: string, password: string): Promise<boolean>;
}

export type IssuedAccessToken = { token: string; expiresIn: number };

export interface AccessTokens {
  issue(actor: Actor): IssuedAccessToken;
  /** Throws Unauthorized for anything but a valid, unexpired access token of this issuer and audience. */
  verify(token: string): Actor;
}
