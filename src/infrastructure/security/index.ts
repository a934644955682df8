export {
  createArgon2Hasher,
  argon2Defaults,
  argon2Minimums,
  type Argon2Options,
} from './argon2Hasher.js';
export {
  createJwtAccessTokens,
  maxAccessTokenTtlSeconds,
  type JwtAccessTokenSettings,
} from './jwtAccessTokens.js';
