import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import type { LimitResult, RateLimiter } from './limiter';

/**
 * The sliding-window log of one key, kept as a sorted set of admission times, checked and updated in one script so
 * that any number of engine processes share it exactly. Time comes from the Redis server (TIME), so the processes'
 * own clocks never disagree about a window. Refused requests are not logged: a client that keeps retrying while
 * limited recovers as soon as its oldest admission leaves the window.
 *
 * KEYS[1] the log; ARGV limit, window (ms), a unique member for this request, 1 to admit or 0 to only look, and the
 * request's cost in slots (one entry per slot). Returns {allowed 0|1, requests in the window, reset (ms: when the oldest leaves), now (ms)}.
 */
const SLIDING_WINDOW_SCRIPT = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local cost = tonumber(ARGV[5] or '1')
local allowed = 0
if count + cost <= limit then
  allowed = 1
  if ARGV[4] == '1' then
    for i = 1, cost do
      redis.call('ZADD', KEYS[1], now, ARGV[3] .. ':' .. i)
    end
    redis.call('PEXPIRE', KEYS[1], window)
    count = count + cost
  end
end
local reset = now + window
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if oldest[2] then reset = tonumber(oldest[2]) + window end
return { allowed, count, reset, now }
`;

const COMMAND = 'maskSlidingWindow';

type ScriptReply = [allowed: number, count: number, reset: number, now: number];
type WithScript = Redis & { [COMMAND](key: string, limit: number, windowMs: number, member: string, admit: '0' | '1', cost: number): Promise<ScriptReply> };

/** The exact sliding-window limiter shared by every process using one Redis (and one `redisPrefix`). */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: WithScript;
  private readonly memberPrefix = randomBytes(6).toString('base64url');
  private sequence = 0;

  constructor(
    redis: Redis,
    private readonly keyPrefix: string,
  ) {
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: SLIDING_WINDOW_SCRIPT });
    this.redis = redis as WithScript;
  }

  private async run(key: string, limit: number, windowMs: number, admit: boolean, cost = 1): Promise<LimitResult> {
    // Unique per process and request, so two admissions in the same millisecond are two entries.
    const member = `${this.memberPrefix}:${(this.sequence = (this.sequence + 1) % Number.MAX_SAFE_INTEGER)}`;
    const [allowed, count, resetAt, now] = await this.redis[COMMAND](`${this.keyPrefix}${key}`, limit, windowMs, member, admit ? '1' : '0', cost);
    const refused = allowed !== 1;
    return {
      allowed: !refused,
      limit,
      remaining: Math.max(0, limit - count),
      resetAt,
      retryAfter: refused ? Math.max(1, Math.ceil((resetAt - now) / 1000)) : 0,
    };
  }

  consume(key: string, limit: number, windowMs: number, cost = 1): Promise<LimitResult> {
    return this.run(key, limit, windowMs, true, cost);
  }

  peek(key: string, limit: number, windowMs: number): Promise<LimitResult> {
    return this.run(key, limit, windowMs, false);
  }

  /** The connection belongs to whoever created it; nothing to release here. */
  async close(): Promise<void> {}
}
