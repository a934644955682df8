import { randomInt, randomUUID } from 'node:crypto';
import { InvalidInput } from '../../domain/shared/index.js';
import type { Cache, Clock } from '../ports/index.js';
import { equalHex, hmacHex } from './hashing.js';

export type OtpSettings = { secret: string; ttlSeconds: number; maxAttempts: number };

type StoredOtp = { id: string; hash: string; expiresAt: number };

const invalid = () => new InvalidInput('Invalid or expired OTP');

const readStored = (raw: string | null): StoredOtp | null => {
  if (raw === null) return null;
  const value = JSON.parse(raw) as Partial<StoredOtp>;
  return typeof value.id === 'string' &&
    typeof value.hash === 'string' &&
    typeof value.expiresAt === 'number'
    ? (value as StoredOtp)
    : null;
};

/**
 * Email one-time codes. The cache holds only an HMAC of (email, code) under a key derived from the
 * email, so a code is bound to the email it was sent to and a cache dump reveals neither.
 * Expiry is checked against the clock as well as by TTL, so it holds whatever the cache's timer does.
 */
export const createOtps = (
  { cache, clock }: { cache: Cache; clock: Clock },
  settings: OtpSettings,
) => {
  const { secret, ttlSeconds, maxAttempts } = settings;
  const keys = (emailKey: string) => ({
    otp: `otp:${emailKey}`,
    attempts: `otp:${emailKey}:attempts`,
  });
  const hashOf = (email: string, code: string) => hmacHex(secret, 'otp', email, code);

  return {
    /** A fresh code replaces any earlier one for the email and its attempt count. */
    async issue(email: string, emailKey: string): Promise<string> {
      const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
      const stored: StoredOtp = {
        id: randomUUID(),
        hash: hashOf(email, code),
        expiresAt: clock.now().getTime() + ttlSeconds * 1000,
      };
      const key = keys(emailKey);
      await cache.delete(key.attempts);
      await cache.set(key.otp, JSON.stringify(stored), ttlSeconds);
      return code;
    },

    /** Accepts the code once; a wrong one spends an attempt, and the last attempt removes the code. */
    async consume(email: string, emailKey: string, code: string): Promise<void> {
      const key = keys(emailKey);
      const stored = readStored(await cache.get(key.otp));
      if (!stored || stored.expiresAt <= clock.now().getTime()) throw invalid();
      // Counted before comparing, so concurrent guesses cannot all slip under the limit.
      const attempts = await cache.increment(key.attempts, ttlSeconds);
      const matches = attempts <= maxAttempts && equalHex(hashOf(email, code), stored.hash);
      if (!matches) {
        if (attempts >= maxAttempts) await cache.delete(key.otp);
        throw invalid();
      }
      // Two requests racing with the right code: only the one that claims it first gets through.
      const claimed = await cache.setIfAbsent(`otp:used:${stored.id}`, '1', ttlSeconds);
      await cache.delete(key.otp);
      await cache.delete(key.attempts);
      if (!claimed) throw invalid();
    },
  };
};

export type Otps = ReturnType<typeof createOtps>;
