import { randomUUID } from 'node:crypto';
import { Conflict, InvalidInput } from '../../domain/shared/index.js';
import { DuplicateKey } from '../ports/index.js';
import { isRole, type UserRole } from '../ports/security.js';
import type { AccountsContext } from './context.js';
import { existingAccountMail, otpMail } from './mailTemplates.js';
import { rateLimit } from './rateLimit.js';
import { checkPassword, normaliseEmail, toUserView, type UserDoc, type UserView } from './users.js';

export type RequestEmailOtp = { email: string; ip: string };
export type Register = {
  name: string;
  email: string;
  phone: string;
  password: string;
  confirmPassword: string;
  otp: string;
  ip: string;
};
export type CreateUser = {
  email: string;
  password: string;
  role: UserRole;
  name?: string;
  phone?: string;
};

const alreadyRegistered = () => new Conflict('An account with this email already exists');

export const createRegistration = (ctx: AccountsContext) => {
  const { cache, mailer, settings, users, otps, hasher, clock, logger } = ctx;
  const { limits } = settings;

  const insertUser = async (
    user: Omit<UserDoc, '_id' | 'createdAt' | 'passwordHash'>,
    password: string,
  ) => {
    const doc: UserDoc = {
      _id: randomUUID(),
      ...user,
      passwordHash: await hasher.hash(password),
      createdAt: clock.now().toISOString(),
    };
    try {
      await users.insert(doc);
    } catch (error) {
      if (error instanceof DuplicateKey) throw alreadyRegistered();
      throw error;
    }
    logger?.info({ userId: doc._id, role: doc.role }, 'account created');
    return toUserView(doc);
  };

  return {
    /**
     * Mails a code to an unregistered email, or a "you already have an account" note to a registered
     * one: the caller sees the same either way, so the endpoint does not reveal who has an account.
     */
    async requestEmailOtp(input: RequestEmailOtp): Promise<void> {
      await ctx.ready();
      const email = normaliseEmail(input.email);
      const emailKey = ctx.emailKey(email);
      const { emailVerifyPerIp: perIp, emailVerifyPerEmail: perEmail } = limits;
      await rateLimit(cache, `rate:emailVerify:ip:${input.ip}`, perIp.limit, perIp.windowSeconds);
      await rateLimit(
        cache,
        `rate:emailVerify:email:${emailKey}`,
        perEmail.limit,
        perEmail.windowSeconds,
      );
      if (await ctx.findUserByEmail(email)) {
        await mailer.send({ to: email, ...existingAccountMail(settings) });
        return;
      }
      const code = await otps.issue(email, emailKey);
      const ttlMinutes = Math.ceil(settings.otpTtlSeconds / 60);
      await mailer.send({ to: email, ...otpMail({ code, ttlMinutes, appName: settings.appName }) });
    },

    /** Creates a customer once the emailed code proves the address. */
    async register(input: Register): Promise<UserView> {
      await ctx.ready();
      const { registerPerIp } = limits;
      await rateLimit(
        cache,
        `rate:register:ip:${input.ip}`,
        registerPerIp.limit,
        registerPerIp.windowSeconds,
      );
      checkPassword(input.password, input.confirmPassword);
      const email = normaliseEmail(input.email);
      // The code before the lookup: without it, nobody learns whether the email is taken.
      await otps.consume(email, ctx.emailKey(email), input.otp);
      if (await ctx.findUserByEmail(email)) throw alreadyRegistered();
      return insertUser(
        { name: input.name.trim(), email, phone: input.phone.trim(), role: 'customer' },
        input.password,
      );
    },

    /** For operators (the `users create` CLI): any role, no code, no rate limit. */
    async createUser(input: CreateUser): Promise<UserView> {
      await ctx.ready();
      if (!isRole(input.role)) throw new InvalidInput(`Unknown role: ${String(input.role)}`);
      checkPassword(input.password);
      const email = normaliseEmail(input.email);
      if (!email.includes('@')) throw new InvalidInput('Email must be an email address');
      if (await ctx.findUserByEmail(email)) throw alreadyRegistered();
      const name = input.name?.trim() || (email.split('@')[0] ?? email);
      const phone = input.phone?.trim() || null;
      return insertUser({ name, email, phone, role: input.role }, input.password);
    },
  };
};
