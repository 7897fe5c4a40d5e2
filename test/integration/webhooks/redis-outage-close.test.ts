// Issue 17 ("survive outages"): an engine whose Redis went away (and came back, or not) still shuts down within a
// bound, and its webhook workers deliver again once Redis is back. Redis is reached through a TCP proxy the test cuts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { testDialect } from '../../support/databases';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { proxiedRedis, type TcpProxy } from '../../support/tcp-proxy';
import { subscribeReceiver, until, type Receiver } from '../../support/webhook-receiver';

const CLOSE_BOUND_MS = 10_000;
// Long enough for every Redis client to notice the cut and be in its reconnection loop.
const OUTAGE_MS = 3_000;

/** Rejects once `close` has taken longer than CLOSE_BOUND_MS. */
async function timedClose(close: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`engine.close() did not finish within ${CLOSE_BOUND_MS} ms`)), CLOSE_BOUND_MS);
  });
  try {
    await Promise.race([close(), bound]);
  } finally {
    clearTimeout(timer);
  }
}

describe(`engine shutdown after a Redis outage, webhook workers on (${testDialect()})`, () => {
  let redis: Awaited<ReturnType<typeof proxiedRedis>>;
  let proxy: TcpProxy;
  let t: TestEngine;
  let receiver: Receiver;
  let stopped = false;

  before(async () => {
    redis = await proxiedRedis();
    proxy = redis.proxy;
  });
  after(async () => {
    await receiver?.close();
    if (t && !stopped) await t.stop().catch(() => undefined);
    await redis?.close();
  });

  const start = async () => {
    await receiver?.close();
    stopped = false;
    t = await startTestEngine({
      redisUrl: `redis://127.0.0.1:${proxy.port}`,
      redisPrefix: `mask-close-${Date.now()}:`,
      webhookAllowedHosts: 'loopback',
      webhookSweepInterval: '300ms',
    });
    receiver = await subscribeReceiver(t);
  };
  const createLink = async (path: string) => {
    const created = await t.api('POST', '/api/v1/links', { body: { url: `https://example.com/${path}` } });
    assert.equal(created.status, 201, created.text);
    return created.body.id as string;
  };
  const deliveredFor = (linkId: string) => receiver.received.some((request) => request.body.includes(linkId));
  /** An engine that has delivered once, then its Redis cut for OUTAGE_MS. */
  const startThenCut = async () => {
    await start();
    const first = await createLink('before');
    await until(() => deliveredFor(first), 'the delivery before the outage');
    proxy.cut();
    await sleep(OUTAGE_MS);
  };

  test('Redis cut and restored: a delivery queued after the restore arrives, and close() finishes within the bound', async () => {
    await startThenCut();
    proxy.restore();
    await until(async () => (await fetch(`${t.baseUrl}/readyz`)).status === 200, 'the engine to be ready again', 15_000);

    const afterRestore = await createLink('after-restore');
    await until(() => deliveredFor(afterRestore), 'the delivery queued after the restore', 15_000);

    stopped = true;
    await timedClose(() => t.stop());
  });

  test('Redis still cut: the delivery written meanwhile waits in the database, and close() finishes within the bound', async () => {
    await startThenCut();
    const during = await createLink('during');
    const { db } = t.parts;
    const pending = await db('webhook_deliveries').where({ status: 'pending' }).count({ n: '*' });
    assert.ok(Number(pending[0].n) >= 1, 'the delivery written during the outage waits in the database');

    stopped = true;
    await timedClose(() => t.stop());
    assert.ok(!deliveredFor(during), 'nothing was delivered without Redis (this engine has no other way)');
    proxy.restore();
  });

  test('Redis hangs mid-handshake when the queue closes, the engine having started without it: nothing escapes as unhandled', async () => {
    // BullMQ sets each Redis connection up once (waits until it is ready, asks the server's version). Closing takes
    // BullMQ's listeners off; a set-up still running then fails when the connection ends, and must not reach the
    // process as an unhandled rejection (ECONNREFUSED, 'Connection is closed.'), which ends an engine.
    const escaped: unknown[] = [];
    const record = (error: unknown) => escaped.push(error);
    process.on('unhandledRejection', record);
    process.on('uncaughtException', record);
    try {
      proxy.cut();
      await start();
      proxy.hold();
      // Every Redis client retries within 2 s: then each is connected to a server that answers nothing.
      await sleep(OUTAGE_MS);
      await timedClose(() => t.parts.webhooks.dispatcher.close());
      // The engine's other Redis clients (the link-change relay, the rate limiter's) close on the same silent server.
      stopped = true;
      await timedClose(() => t.stop());
    } finally {
      process.off('unhandledRejection', record);
      process.off('uncaughtException', record);
      proxy.restore();
    }
    assert.deepEqual(escaped, []);
  });

  test('Redis back a moment ago (clients still between reconnection attempts): close() finishes within the bound', async () => {
    await startThenCut();
    proxy.restore();
    stopped = true;
    await timedClose(() => t.stop());
  });
});
