import { createMemoryCache } from '../../src/infrastructure/cache/index.js';
import { cacheContract } from './cache.contract.js';

cacheContract('in-process (lru-cache)', async () => {
  const cache = createMemoryCache({ maxEntries: 1000 });
  return { cache, cleanup: () => cache.close() };
});
