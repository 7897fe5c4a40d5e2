import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import IORedis from 'ioredis';
import type { OutboxEvent } from '../../../engine/domain/outbox';
import { testDialect } from '../../support/databases';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { privateRedis, type PrivateRedis } from '../../support/processes';
import { startReceiver, until, type Receiver } from '../../support/webhook-receiver';

const EVENTS = 300;

describe(`webhook dispatch through BullMQ survives a Redis FLUSHALL and a Redis outage (${testDialect()})`, () => {
  // A Redis of this test's own, so flushing it touches no other suite.
  let redis: PrivateRedis;
  const emit = async (count: number, offset: number) => {
    const { db, outbox, clock } = t.parts;
    const events: OutboxEvent[] = Array.from({ length: count }, (_, i) => ({ workspaceId: t.workspace.id, mode: 'live', type: 'link.created', data: { n: offset + i } }));
    return (await db.transaction((trx) => outbox.enqueue(trx, events, clock.now()))).map((m) => m.id);
  };
  let t: TestEngine;
  let receiver: Receiver;

  before(async () => {
    redis = await privateRedis();
    await redis.start();
    t = await startTestEngine({
      redisUrl: redis.url,
      redisPrefix: 'mask-flush:',
      webhookAllowedHosts: 'loopback',
      webhookConcurrency: 5,
      webhookSweepInterval: '300ms',
      webhookRetrySchedule: '200ms,200ms,200ms',
    });
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
    await t.stop();
    await redis.stop();
  });

  test(`${EVENTS} events, Redis flushed mid-run: every message is delivered after a sweep`, async () => {
    const ids = new Set<string>();
    receiver.respond((request) => {
      ids.add(request.headers['webhook-id'] as string);
      return { status: 200, delayMs: 10 };
    });
    const created = await t.api('POST', '/api/v1/webhooks', { body: { url: `${receiver.url}/hook`, events: ['*'] } });
    assert.equal(created.status, 201, created.text);
    const { db } = t.parts;
    const emitted = await emit(EVENTS, 0);

    await until(() => ids.size >= 30, 'the first deliveries');
    const admin = new IORedis(redis.url);
    try {
      assert.ok((await admin.keys('mask-flush:bull:*')).length > 0, 'the queue lives under the configured prefix');
      await admin.flushall();
    } finally {
      admin.disconnect();
    }
    assert.ok(ids.size < EVENTS, 'the flush came while messages were still queued');
    emitted.push(...(await emit(20, EVENTS)));

    await until(() => emitted.every((id) => ids.has(id)), 'every message after the sweep', 30_000);
    // The last answers are recorded a moment after the receiver has seen them.
    const pending = () => db('webhook_deliveries').where({ status: 'pending' }).count({ n: '*' }).then(([row]) => Number(row.n));
    await until(async () => (await pending()) === 0, 'every delivery to be recorded');
    const delivered = await db('webhook_deliveries').where({ status: 'succeeded' }).countDistinct({ n: 'message_id' });
    assert.equal(Number(delivered[0].n), emitted.length);
  });

  test('events written while Redis is down are delivered once it is back', async () => {
    const ids = new Set<string>();
    receiver.respond((request) => {
      ids.add(request.headers['webhook-id'] as string);
      return { status: 200 };
    });
    await redis.stop();
    const ready = await fetch(`${t.baseUrl}/readyz`);
    assert.equal(ready.status, 503, 'not ready without its queue');
    const emitted = await emit(20, 10_000);
    assert.equal(emitted.length, 20, 'the API side does not need Redis to record events');
    await redis.start();
    await until(() => emitted.every((id) => ids.has(id)), 'the messages written during the outage', 30_000);
  });

  test('readiness reports the webhook queue', async () => {
    const ready = await fetch(`${t.baseUrl}/readyz`);
    const body = (await ready.json()) as { checks: Record<string, string> };
    assert.equal(body.checks.webhook_queue, 'ok');
  });
});
