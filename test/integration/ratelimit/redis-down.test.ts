import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import Redis from 'ioredis';
import pino from 'pino';
import { LimiterUnavailableError } from '../../../engine/ratelimit/resilience';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { privateRedis, type PrivateRedis } from '../../support/processes';

/** A logger whose lines the test can read. */
function capturingLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('rate limits while Redis is down', () => {
  let redis: PrivateRedis;
  let t: TestEngine;
  let inspector: Redis;
  const prefix = `mask-test:${randomBytes(6).toString('hex')}:`;
  const { logger, lines } = capturingLogger();
  const logged = (level: number, pattern: RegExp) => lines.some((line) => line.level === level && pattern.test(line.msg));

  before(async () => {
    redis = await privateRedis();
    await redis.start();
    t = await startTestEngine({ redisUrl: redis.url, redisPrefix: prefix, logger });
    inspector = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    inspector.on('error', () => undefined);
  });
  after(async () => {
    inspector.disconnect();
    await t.stop();
    await redis.stop();
  });

  const limitedKey = async (rateLimit: number) =>
    (await t.parts.keys.create({ workspaceId: t.workspace.id, name: 'limited', mode: 'live', scopes: ['links:read'], rateLimit })).secret;
  const countedInRedis = async (keyId: string) => {
    await inspector.connect().catch(() => undefined);
    return inspector.zcard(`${prefix}ratelimit:key:${keyId}`);
  };

  test('with Redis up, limits are kept in Redis under the configured prefix', async () => {
    const me = await t.api('GET', '/api/v1/me');
    assert.equal(me.status, 200);
    assert.equal(await countedInRedis(me.body.key.id), 1);
  });

  test('a stalled event loop is not mistaken for an unreachable Redis', async () => {
    const pending = t.parts.apiLimiter.consume('stall', 10, 60_000);
    const until = Date.now() + 1_500;
    while (Date.now() < until); // this process does nothing for longer than the limiter's deadline
    const result = await pending;
    assert.equal(result.remaining, 9);
    await inspector.connect().catch(() => undefined);
    assert.equal(await inspector.zcard(`${prefix}ratelimit:stall`), 1, 'counted in Redis, once');
    assert.ok(!logged(40, /cannot reach Redis/), 'no outage was reported');
  });

  test('Redis stops: the API limit falls back to in-process; failed authentications and the password gate fail closed', async () => {
    await redis.stop();
    inspector.disconnect();

    const key = await limitedKey(3);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await t.api('GET', '/api/v1/me', { key }));
    assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 429], 'still limited, by this process');
    assert.deepEqual(answers.map((r) => r.headers.get('x-ratelimit-remaining')), ['2', '1', '0', '0']);
    assert.ok(Number(answers[3].headers.get('retry-after')) >= 1);
    assert.ok(logged(40, /API rate limiter cannot reach Redis/), 'a warning is logged');
    assert.equal(lines.filter((line) => /API rate limiter cannot reach Redis/.test(line.msg)).length, 1, 'once per outage');

    const guess = await t.api('GET', '/api/v1/me', { key: `mk_live_${'g'.repeat(43)}` });
    assert.equal(guess.status, 429, 'a failed authentication that cannot be counted is refused');
    assert.equal(guess.body.error.code, 'rate_limit_exceeded');
    assert.match(guess.body.error.message, /cannot be counted/);
    assert.equal(guess.headers.get('x-ratelimit-limit'), String(t.engine.config.authFailuresPerMinute));
    assert.ok(guess.headers.get('retry-after'));
    assert.ok(logged(40, /authentication rate limiter cannot reach Redis/));

    await assert.rejects(t.parts.limiter.consume('password-gate:test', 10, 600_000), LimiterUnavailableError);
    assert.equal((await t.api('GET', '/api/v1/me', { key: null })).status, 401, 'keyless requests are still answered');
  });

  test('Redis returns: both limiters use it again by themselves', async () => {
    await redis.start();
    const key = await t.parts.keys.create({ workspaceId: t.workspace.id, name: 'after', mode: 'live', scopes: ['links:read'] });
    // The engine reconnects in the background (within about 2 s); poll without asserting how long it takes.
    for (let attempt = 0; (await countedInRedis(key.key.id)) === 0; attempt++) {
      assert.ok(attempt < 300, 'the limiter went back to Redis');
      await t.api('GET', '/api/v1/me', { key: key.secret });
      await sleep(50);
    }
    assert.ok(logged(30, /API rate limiter reaches Redis again/));
    const result = await t.parts.limiter.consume('password-gate:test', 10, 600_000);
    assert.equal(result.allowed, true);
    assert.equal((await t.api('GET', '/api/v1/me', { key: `mk_live_${'h'.repeat(43)}` })).status, 401, 'failures are counted again');
  });

  test('an engine started while Redis is down serves, and moves to Redis once it is up', async () => {
    const late = await privateRedis();
    const engine = await startTestEngine({ redisUrl: late.url, redisPrefix: prefix, logger: capturingLogger().logger });
    try {
      const before = await engine.api('GET', '/api/v1/me');
      assert.equal(before.status, 200);
      assert.equal(before.headers.get('x-ratelimit-remaining'), '999');
      await late.start();
      // The probe retries its own connection: under load its first connect may race the fresh server.
      const probe = new Redis(late.url, { maxRetriesPerRequest: 20 });
      probe.on('error', () => undefined);
      try {
        await probe.ping();
        for (let attempt = 0; (await probe.zcard(`${prefix}ratelimit:key:${before.body.key.id}`)) === 0; attempt++) {
          assert.ok(attempt < 300, 'the limiter went to Redis');
          await engine.api('GET', '/api/v1/me');
          await sleep(50);
        }
      } finally {
        probe.disconnect();
      }
    } finally {
      await engine.stop();
      await late.stop();
    }
  });
});
