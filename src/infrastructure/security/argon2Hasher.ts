import argon2 from 'argon2';
import type { PasswordHasher } from '../../application/ports/security.js';

/** OWASP's floor for argon2id (19 MiB, 2 passes, 1 lane); the hasher refuses anything weaker. */
export const argon2Minimums = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export type Argon2Options = { memoryCost?: number; timeCost?: number; parallelism?: number };

export const argon2Defaults: Required<Argon2Options> = { ...argon2Minimums };

export const createArgon2Hasher = (options: Argon2Options = {}): PasswordHasher => {
  const params = { ...argon2Defaults, ...options };
  if (params.memoryCost < argon2Minimums.memoryCost || params.timeCost < argon2Minimums.timeCost) {
    throw new RangeError(
      `argon2id needs memoryCost >= ${argon2Minimums.memoryCost} KiB and timeCost >= ${argon2Minimums.timeCost}`,
    );
  }
  if (!Number.isInteger(params.parallelism) || params.parallelism < 1) {
    throw new RangeError('argon2id parallelism must be a positive integer');
  }
  return {
    hash: (password) => argon2.hash(password, { type: argon2.argon2id, ...params }),
    // Verification reads the parameters from the stored hash, so raising them later keeps old hashes valid.
    async verify(hash, password) {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      }
    },
  };
};
