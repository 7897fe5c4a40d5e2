import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { privateRedis, type PrivateRedis } from '../../support/processes';

describe('guest links fail closed while their limit cannot be counted', () => {
  let redis: PrivateRedis;
  let t: TestEngine;

  before(async () => {
    redis = await privateRedis();
    await redis.start();
    // No webhook workers: this test is about the limiter, and their BullMQ connections are slow to close after an outage.
    t = await startTestEngine({ guestLinks: true, webhookWorkers: false, redisUrl: redis.url, redisPrefix: `mask-test:${randomBytes(6).toString('hex')}:` });
  });
  after(async () => {
    await t.stop();
    await redis.stop();
  });

  test('with Redis up guest links are made; with Redis down they are refused with 429, and keyed links still work', async () => {
    const up = await t.api('POST', '/api/v1/links/guest', { key: null, body: { url: 'https://example.com/up' } });
    assert.equal(up.status, 201, up.text);

    await redis.stop();
    try {
      const down = await t.api('POST', '/api/v1/links/guest', { key: null, body: { url: 'https://example.com/down' } });
      assert.equal(down.status, 429, down.text);
      assert.equal(down.body.error.code, 'rate_limit_exceeded');
      assert.ok(Number(down.headers.get('retry-after')) >= 1);
      assert.equal(await t.parts.db('links').where({ url: 'https://example.com/down' }).first(), undefined, 'nothing was made');

      const keyed = await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/keyed' } });
      assert.equal(keyed.status, 201, 'the per-key limit falls back to this process');
    } finally {
      // Back up before the engine closes: its queue connections would otherwise wait for Redis on the way out.
      await redis.start();
    }
  });
});
