import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';
import { Unauthorized } from '../../domain/shared/index.js';
import { systemClock, type Clock } from '../../application/ports/index.js';
import { isRole, type AccessTokens, type Actor } from '../../application/ports/security.js';

export const maxAccessTokenTtlSeconds = 15 * 60;

export type JwtAccessTokenSettings = {
  /** HS256 key: at least 32 bytes (256 bits). */
  secret: string;
  issuer: string;
  audience: string;
  ttlSeconds?: number;
  clock?: Clock;
  /** How many verified tokens to remember (0: verify every time). */
  verifiedCacheSize?: number;
};

const tokenType = 'access';
const invalid = () => new Unauthorized('Invalid or expired access token');

export const createJwtAccessTokens = ({
  secret,
  issuer,
  audience,
  ttlSeconds = maxAccessTokenTtlSeconds,
  clock = systemClock,
  verifiedCacheSize = 10_000,
}: JwtAccessTokenSettings): AccessTokens => {
  if (Buffer.byteLength(secret) < 32)
    throw new RangeError('the access token secret must be at least 32 bytes');
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > maxAccessTokenTtlSeconds) {
    throw new RangeError(
      `access token ttlSeconds must be an integer in 1..${maxAccessTokenTtlSeconds}`,
    );
  }
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
  // A KeyObject made once: given a string, jsonwebtoken tries to parse it as a public key on every
  // call, which costs more than the HMAC itself.
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  /**
   * A client sends the same token with every request for up to 15 minutes, and checking it (HMAC,
   * two base64 decodes, JSON, claims) is a real part of what a cached read costs. A token verified
   * once is remembered by its exact text — signature included, so no other text can match it — with
   * its expiry, which is checked again on every use. Access tokens are not revocable anyway: they are
   * short-lived by design, so remembering one changes nothing about who may use it and until when.
   */
  const verified =
    verifiedCacheSize > 0
      ? new LRUCache<string, { actor: Actor; exp: number }>({ max: verifiedCacheSize })
      : undefined;

  return {
    issue({ userId, role }) {
      const iat = nowSeconds();
      const token = jwt.sign({ role, typ: tokenType, iat, exp: iat + ttlSeconds }, key, {
        algorithm: 'HS256',
        issuer,
        audience,
        subject: userId,
      });
      return { token, expiresIn: ttlSeconds };
    },

    verify(token) {
      const known = verified?.get(token);
      if (known) {
        if (nowSeconds() < known.exp) return known.actor;
        verified!.delete(token);
        throw invalid();
      }
      let payload: string | jwt.JwtPayload;
      try {
        // The algorithm is pinned: `none` and any key confusion are refused before the signature is read.
        payload = jwt.verify(token, key, {
          algorithms: ['HS256'],
          issuer,
          audience,
          clockTimestamp: nowSeconds(),
        });
      } catch {
        throw invalid();
      }
      if (typeof payload === 'string') throw invalid();
      const { sub, role, typ, exp } = payload;
      // jsonwebtoken accepts a token with no `exp`; ours always has one.
      if (typ !== tokenType || typeof exp !== 'number' || typeof sub !== 'string' || !isRole(role))
        throw invalid();
      const actor: Actor = { userId: sub, role };
      verified?.set(token, { actor, exp });
      return actor;
    },
  };
};
