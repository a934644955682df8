export { createMemoryCache, NotAnInteger, type MemoryCacheOptions } from './memoryCache.js';
export { createRedisCache, CacheUnavailable, type RedisCacheOptions } from './redisCache.js';
