import type { Foundation } from './foundation';
import { ApiGuard } from '../web/api-guard';
import { KeyRateLimits } from '../ratelimit/key-limits';
import { MemoryRateLimiter, type RateLimiter } from '../ratelimit/limiter';
import { RedisRateLimiter } from '../ratelimit/redis-limiter';
import { ResilientLimiter } from '../ratelimit/resilience';
import { WorkspaceStore } from '../store/workspaces';

export interface RateLimiting {
  /** Strict limits (failed authentications, the password gate): with Redis, it throws while Redis is unreachable. */
  limiter: RateLimiter;
  /** Throughput limits (per key, per address without a key): with Redis, it falls back to in-process while Redis is down. */
  apiLimiter: RateLimiter;
  keyLimits: KeyRateLimits;
  apiGuard: ApiGuard;
}

/**
 * The limiters of one engine: in-process without Redis; shared through Redis (under `redisPrefix`) with it. `redis`
 * must fail fast (see FastRedis): a limiter never waits for an unreachable Redis.
 */
export function wireRateLimiting({ config, db, clock, logger, lifecycle, redis }: Foundation): RateLimiting {
  const now = () => clock.now().getTime();
  let limiter: RateLimiter;
  let apiLimiter: RateLimiter;
  if (redis) {
    const shared = new RedisRateLimiter(redis, `${config.redisPrefix}ratelimit:`);
    limiter = new ResilientLimiter(shared, null, logger, 'The authentication rate limiter');
    apiLimiter = new ResilientLimiter(shared, new MemoryRateLimiter(now), logger, 'The API rate limiter');
  } else {
    limiter = apiLimiter = new MemoryRateLimiter(now);
  }
  lifecycle.onClose(() => apiLimiter.close());
  const keyLimits = new KeyRateLimits(new WorkspaceStore(db), config.rateLimitPerMinute);
  const apiGuard = new ApiGuard({
    apiLimiter,
    authLimiter: limiter,
    keyLimits,
    anonymousPerMinute: config.anonymousRateLimitPerMinute,
    authFailuresPerMinute: config.authFailuresPerMinute,
    clock,
  });
  return { limiter, apiLimiter, keyLimits, apiGuard };
}
