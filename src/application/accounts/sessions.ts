import { randomBytes } from 'node:crypto';
import { Unauthorized } from '../../domain/shared/index.js';
import type { Actor } from '../ports/security.js';
import type { AccountsContext } from './context.js';
import { failureLimit } from './rateLimit.js';
import { normaliseEmail, toUserView, type UserView } from './users.js';

export type Login = { email: string; password: string; ip: string };
export type LoginResult = { token: string; refreshToken: string; expiresIn: number };
export type RefreshResult = { accessToken: string; refreshToken: string; expiresIn: number };

const badCredentials = () => new Unauthorized('Invalid email or password');

export const createSessions = (ctx: AccountsContext) => {
  const { cache, hasher, tokens, users, refreshTokens, settings, logger } = ctx;

  // An unknown email still costs one verify against a hash made with the same parameters, so the
  // answer takes as long as a wrong password does and timing does not tell the two apart.
  const dummyHash = hasher.hash(randomBytes(24).toString('base64url'));
  dummyHash.catch(() => undefined);

  return {
    /** Identical answers (401, same message) for an unknown email and a wrong password. */
    async login(input: Login): Promise<LoginResult> {
      await ctx.ready();
      const email = normaliseEmail(input.email);
      const byIp = failureLimit(
        cache,
        `rate:loginFailures:ip:${input.ip}`,
        settings.limits.loginFailuresPerIp,
      );
      const byEmail = failureLimit(
        cache,
        `rate:loginFailures:email:${ctx.emailKey(email)}`,
        settings.limits.loginFailuresPerEmail,
      );
      await byIp.check();
      await byEmail.check();
      const user = await ctx.findUserByEmail(email);
      const valid = await hasher.verify(user?.passwordHash ?? (await dummyHash), input.password);
      if (!user || !valid) {
        const [emailLocked, ipLocked] = [await byEmail.record(), await byIp.record()];
        if (emailLocked || ipLocked)
          logger?.warn({ ip: input.ip, emailLocked, ipLocked }, 'login locked after failures');
        throw badCredentials();
      }
      await byEmail.reset();
      const access = tokens.issue({ userId: user._id, role: user.role });
      return {
        token: access.token,
        refreshToken: await refreshTokens.issue(user._id),
        expiresIn: access.expiresIn,
      };
    },

    /** Spends the refresh token for a new pair; the access token carries the account's current role. */
    async refresh({ refreshToken }: { refreshToken: string }): Promise<RefreshResult> {
      await ctx.ready();
      const rotated = await refreshTokens.rotate(refreshToken);
      const user = await users.get(rotated.userId);
      if (!user) {
        await refreshTokens.revokeFamily(rotated.familyId, 'account');
        throw new Unauthorized('Invalid refresh token');
      }
      const access = tokens.issue({ userId: user._id, role: user.role });
      return {
        accessToken: access.token,
        refreshToken: rotated.refreshToken,
        expiresIn: access.expiresIn,
      };
    },

    /** Ends the session; always succeeds, since an unknown or dead token is no session to end. */
    async logout({ refreshToken }: { refreshToken: string }): Promise<void> {
      await ctx.ready();
      await refreshTokens.revoke(refreshToken, 'logout');
    },

    async me(actor: Actor): Promise<UserView> {
      const user = await users.get(actor.userId);
      // A valid token for a deleted account: the session is over, not a missing resource.
      if (!user) throw new Unauthorized('Account no longer exists');
      return toUserView(user);
    },

    verifyAccessToken: (token: string): Actor => tokens.verify(token),
  };
};
