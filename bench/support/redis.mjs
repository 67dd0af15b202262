// Removing what a benchmark's queues left in Redis (jobs, the housekeeping schedule), so that runs
// leave nothing behind in the machine's Redis.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const Redis = require('ioredis');

/** Deletes every key under `prefix:`; a Redis that does not answer has nothing of ours to delete. */
export async function dropQueueKeys(redisUrl, prefix) {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await redis.connect();
  } catch {
    redis.disconnect();
    return;
  }
  for (let cursor = '0'; ;) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
    if (cursor === '0') break;
  }
  await redis.quit();
}
