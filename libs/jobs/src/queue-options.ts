import type { QueueOptions } from 'bull';

/**
 * The options of every Bull queue, the same in the api and the worker. A worker renews the lock
 * of its job every half `jobLockMs`; a job whose lock ran out (its worker was killed or hangs)
 * is moved back to the queue by the next stalled-job check of any worker (every `jobLockMs`) and
 * delivered again, once: a job that stalls twice fails, and what it was doing can be asked for
 * again (imports say how).
 */
export function queueOptions(redis: { url: string; queuePrefix: string; jobLockMs: number }): QueueOptions & { url: string } {
  return {
    url: redis.url,
    prefix: redis.queuePrefix,
    settings: { lockDuration: redis.jobLockMs, lockRenewTime: Math.floor(redis.jobLockMs / 2), stalledInterval: redis.jobLockMs, maxStalledCount: 1 },
  };
}
