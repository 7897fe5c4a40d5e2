import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import Redis from 'ioredis';
import { MemoryRateLimiter, type RateLimiter } from '../../../engine/ratelimit/limiter';
import { RedisRateLimiter } from '../../../engine/ratelimit/redis-limiter';
import { testRedis } from '../../support/databases';

const redis = testRedis();
const connections: Redis[] = [];

/** A limiter on its own Redis connection, as another engine process would have. */
function redisLimiter(): RedisRateLimiter {
  const client = new Redis(redis.redisUrl as string, { enableOfflineQueue: true });
  connections.push(client);
  return new RedisRateLimiter(client, `${redis.redisPrefix}ratelimit:`);
}

after(async () => {
  if (connections.length) {
    const keys = await connections[0].keys(`${redis.redisPrefix}*`);
    if (keys.length) await connections[0].del(...keys);
  }
  await Promise.all(connections.map((client) => client.quit()));
});

let bucketCounter = 0;
const bucket = (name: string) => `${name}:${process.pid}:${++bucketCounter}`;
const admitted = (results: Array<{ allowed: boolean }>) => results.filter((r) => r.allowed).length;

/** Waits until the wall clock is `offsetMs` into a period of `periodMs` (where a fixed window would roll over). */
async function waitForPhase(periodMs: number, offsetMs: number): Promise<void> {
  const phase = Date.now() % periodMs;
  await sleep((offsetMs - phase + periodMs) % periodMs);
}

const implementations: Array<[string, () => RateLimiter]> = [['in-process', () => new MemoryRateLimiter()]];
if (redis.redisUrl) implementations.push(['Redis', redisLimiter]);

for (const [name, make] of implementations) {
  describe(`sliding-window limiter (${name})`, () => {
    test('admits exactly the limit in a window, counts down, and says when to retry', async () => {
      const limiter = make();
      const key = bucket('exact');
      const results = await Promise.all(Array.from({ length: 25 }, () => limiter.consume(key, 10, 60_000)));
      assert.equal(admitted(results), 10);
      assert.deepEqual(
        results.filter((r) => r.allowed).map((r) => r.remaining).sort((a, b) => b - a),
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
      );
      for (const refused of results.filter((r) => !r.allowed)) {
        assert.equal(refused.remaining, 0);
        assert.ok(refused.retryAfter >= 1 && refused.retryAfter <= 60, `retryAfter ${refused.retryAfter}`);
        assert.ok(refused.resetAt > Date.now() && refused.resetAt <= Date.now() + 60_000);
      }
      const peeked = await limiter.peek(key, 10, 60_000);
      assert.equal(peeked.allowed, false);
      assert.equal((await limiter.peek(bucket('fresh'), 10, 60_000)).remaining, 10, 'peek admits nothing');
    });

    test('a burst straddling a window boundary admits no more than the limit', async () => {
      const limiter = make();
      const key = bucket('boundary');
      const windowMs = 2_000;
      const limit = 20;
      // Half the limit just before the boundary where a fixed window would reset, then a full burst just after it.
      await waitForPhase(windowMs, windowMs - 400);
      const before = await Promise.all(Array.from({ length: limit / 2 }, () => limiter.consume(key, limit, windowMs)));
      await waitForPhase(windowMs, 400);
      const afterBoundary = await Promise.all(Array.from({ length: limit * 2 }, () => limiter.consume(key, limit, windowMs)));
      assert.equal(admitted(before), limit / 2);
      assert.equal(admitted(afterBoundary), limit / 2, 'only what the rolling window still allows');

      // Once the first half leaves the window exactly that many slots free again: a window, not a ban.
      const refused = afterBoundary.find((r) => !r.allowed);
      assert.ok(refused);
      await sleep(Math.max(0, refused.resetAt - Date.now()) + 100);
      const later = await Promise.all(Array.from({ length: limit }, () => limiter.consume(key, limit, windowMs)));
      assert.equal(admitted(later), limit / 2);
    });

    test('keys are independent and a lowered limit applies at once', async () => {
      const limiter = make();
      const [a, b] = [bucket('a'), bucket('b')];
      for (let i = 0; i < 5; i++) await limiter.consume(a, 100, 60_000);
      assert.equal((await limiter.consume(b, 100, 60_000)).remaining, 99);
      const lowered = await limiter.consume(a, 3, 60_000);
      assert.equal(lowered.allowed, false);
      assert.equal(lowered.remaining, 0);
    });
  });
}

describe('Redis limiter across processes', { skip: redis.redisUrl ? false : 'needs TEST_REDIS_URL (runs in the Postgres + Redis pass)' }, () => {
  test('two connections sharing one key admit exactly the limit between them', async () => {
    const [first, second] = [redisLimiter(), redisLimiter()];
    const key = bucket('shared');
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => (i % 2 ? first : second).consume(key, 100, 60_000)));
    assert.equal(admitted(results), 100);
  });

  test('every key it writes carries the configured prefix', async () => {
    const limiter = redisLimiter();
    const key = bucket('prefixed');
    await limiter.consume(key, 5, 60_000);
    const client = connections[connections.length - 1];
    assert.equal(await client.zcard(`${redis.redisPrefix}ratelimit:${key}`), 1);
    const ttl = await client.pttl(`${redis.redisPrefix}ratelimit:${key}`);
    assert.ok(ttl > 0 && ttl <= 60_000, 'expires with its window');
  });
});
