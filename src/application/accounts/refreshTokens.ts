import { randomBytes, randomUUID } from 'node:crypto';
import { Unauthorized } from '../../domain/shared/index.js';
import type { Clock, DocumentStore } from '../ports/index.js';
import { sha256Hex } from './hashing.js';

export const refreshTokensCollection = 'refreshTokens';
export const refreshFamiliesCollection = 'refreshFamilies';

/** One token of a family; `_id` is the sha256 of the token, which is never stored. */
export type RefreshTokenDoc = {
  _id: string;
  userId: string;
  familyId: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null;
};

/** A login session. Revoking it is one write, so a token minted while it is being revoked dies too. */
export type RefreshFamilyDoc = {
  _id: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedReason: 'logout' | 'reuse' | 'account' | null;
};

export type RevokeReason = NonNullable<RefreshFamilyDoc['revokedReason']>;

const tokenShape = /^[A-Za-z0-9_-]{43}$/;
const invalid = () => new Unauthorized('Invalid refresh token');

type Logger = { warn(fields: object, message: string): void };

export const createRefreshTokens = (
  { documents, clock, logger }: { documents: DocumentStore; clock: Clock; logger?: Logger },
  { ttlSeconds }: { ttlSeconds: number },
) => {
  const tokens = documents.collection<RefreshTokenDoc>(refreshTokensCollection);
  const families = documents.collection<RefreshFamilyDoc>(refreshFamiliesCollection);

  const mint = async (family: RefreshFamilyDoc): Promise<string> => {
    const token = randomBytes(32).toString('base64url');
    await tokens.insert({
      _id: sha256Hex(token),
      userId: family.userId,
      familyId: family._id,
      createdAt: clock.now().toISOString(),
      expiresAt: family.expiresAt,
      usedAt: null,
      revokedAt: null,
    });
    return token;
  };

  const revokeFamily = async (familyId: string, reason: RevokeReason): Promise<void> => {
    const family = await families.get(familyId);
    if (!family || family.revokedAt) return;
    const revokedAt = clock.now().toISOString();
    await families.put({ ...family, revokedAt, revokedReason: reason });
    // The family document is what counts; stamping its tokens keeps each record telling the truth.
    const members = (await tokens.find({ familyId })).filter((doc) => doc.revokedAt === null);
    await documents.bulkWrite(
      members.map((doc) => ({ collection: refreshTokensCollection, put: { ...doc, revokedAt } })),
    );
  };

  const find = async (token: string): Promise<RefreshTokenDoc | null> =>
    tokenShape.test(token) ? tokens.get(sha256Hex(token)) : null;

  return {
    ensureIndexes: async (): Promise<void> => {
      await tokens.ensureIndex(['familyId']);
      await families.ensureIndex(['userId']);
    },

    /** Starts a session: a new family whose absolute expiry every rotated token inherits. */
    async issue(userId: string): Promise<string> {
      const now = clock.now();
      const family: RefreshFamilyDoc = {
        _id: randomUUID(),
        userId,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
        revokedAt: null,
        revokedReason: null,
      };
      await families.insert(family);
      return mint(family);
    },

    /** Spends the token and returns its successor; a token spent before revokes its whole family. */
    async rotate(
      token: string,
    ): Promise<{ userId: string; familyId: string; refreshToken: string }> {
      const doc = await find(token);
      if (!doc) throw invalid();
      const family = await families.get(doc.familyId);
      if (!family || family.revokedAt) throw invalid();
      const now = clock.now().toISOString();
      if (family.expiresAt <= now) throw invalid();
      // Only one caller can move usedAt from null: a second use, concurrent or later, is a replay.
      const spent =
        doc.usedAt === null && (await tokens.putIf({ ...doc, usedAt: now }, 'usedAt', null));
      if (!spent) {
        logger?.warn(
          { userId: doc.userId, familyId: doc.familyId },
          'refresh token reuse: family revoked',
        );
        await revokeFamily(doc.familyId, 'reuse');
        throw invalid();
      }
      return { userId: doc.userId, familyId: doc.familyId, refreshToken: await mint(family) };
    },

    /** Ends the session the token belongs to, spent or not; an unknown token is already no session. */
    async revoke(token: string, reason: RevokeReason): Promise<void> {
      const doc = await find(token);
      if (doc) await revokeFamily(doc.familyId, reason);
    },

    revokeFamily,
  };
};

export type RefreshTokens = ReturnType<typeof createRefreshTokens>;
