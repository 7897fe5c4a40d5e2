// Failure model: "When Redis comes back empty, workers re-queue due deliveries at once; deliveries of a SIGKILLed worker
// are taken over within 5 s, each exactly once." Real Redis (a private one, so emptying it touches no other suite) and
// real `mask worker` processes.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import IORedis from 'ioredis';
import type { OutboxEvent } from '../../../engine/domain/outbox';
import { testDialect } from '../../support/databases';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { privateRedis, startWorkerProcess, type PrivateRedis } from '../../support/processes';
import { startReceiver, until, type Receiver } from '../../support/webhook-receiver';

const emitter = (t: TestEngine) => async (count: number, offset: number) => {
  const { db, outbox, clock } = t.parts;
  const events: OutboxEvent[] = Array.from({ length: count }, (_, i) => ({ workspaceId: t.workspace.id, mode: 'live', type: 'link.created', data: { n: offset + i } }));
  return (await db.transaction((trx) => outbox.enqueue(trx, events, clock.now()))).map((m) => m.id);
};

describe(`webhook queue emptied in Redis: deliveries resume at once, not on the next sweep (${testDialect()})`, () => {
  let redis: PrivateRedis;
  let t: TestEngine;
  let receiver: Receiver;

  before(async () => {
    redis = await privateRedis();
    await redis.start();
    t = await startTestEngine({
      redisUrl: redis.url,
      redisPrefix: 'mask-empty:',
      webhookAllowedHosts: 'loopback',
      webhookConcurrency: 10,
      // The default: a sweep would come far too late to pass.
      webhookSweepInterval: '30s',
      webhookRetrySchedule: '2s',
    });
    receiver = await startReceiver();
    const created = await t.api('POST', '/api/v1/webhooks', { body: { url: `${receiver.url}/hook`, events: ['*'] } });
    assert.equal(created.status, 201, created.text);
  });
  after(async () => {
    await receiver.close();
    await t.stop();
    await redis.stop();
  });

  const empties: Array<[string, (admin: IORedis) => Promise<unknown>]> = [
    ['FLUSHDB', (admin) => admin.flushdb()],
    ['DEL of the queue keys', async (admin) => admin.del(...(await admin.keys('mask-empty:bull:*')))],
  ];
  for (const [how, empty] of empties) {
    test(`${how} while 50 retries wait as delayed jobs (due in 2 s): all are delivered within 3 s of it`, async () => {
      const first = new Set<string>();
      const retried = new Set<string>();
      receiver.respond((request) => {
        const id = request.headers['webhook-id'] as string;
        if (first.has(id)) {
          retried.add(id);
          return { status: 200 };
        }
        first.add(id);
        return { status: 500 };
      });
      const emitted = await emit(50);
      // Every first attempt failed and its retry (due 2 s later) is a delayed job in Redis: lost by what follows.
      const { db } = t.parts;
      const waiting = () => db('webhook_deliveries').whereIn('message_id', emitted).andWhere({ attempt: 2 }).count({ n: '*' }).then(([row]) => Number(row.n));
      await until(async () => (await waiting()) === emitted.length, 'every retry to be scheduled');
      const admin = new IORedis(redis.url);
      let emptiedAt: number;
      try {
        assert.ok((await admin.keys('mask-empty:bull:*')).length > 0, 'the queue lives under the configured prefix');
        await empty(admin);
        emptiedAt = Date.now();
        assert.equal(retried.size, 0, 'no retry had run yet: all of them were lost with the queue');
      } finally {
        admin.disconnect();
      }
      await until(() => emitted.every((id) => retried.has(id)), 'every retry after Redis lost the queue', 3_000);
      const elapsed = Date.now() - emptiedAt;
      const pending = () => db('webhook_deliveries').whereIn('message_id', emitted).andWhere({ status: 'pending' }).count({ n: '*' }).then(([row]) => Number(row.n));
      await until(async () => (await pending()) === 0, 'every delivery to be recorded');
      console.log(`# ${how}: ${emitted.length} retries delivered ${elapsed} ms after the queue was emptied`);
    });
  }

  let offset = 0;
  async function emit(count: number) {
    offset += count;
    return emitter(t)(count, offset);
  }
});

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    process.kill(child.pid as number, signal);
  });
}

describe(`a SIGKILLed worker's deliveries are taken over within 5 s, each once (${testDialect()})`, () => {
  let t: TestEngine;
  let receiver: Receiver;
  const workers: ChildProcess[] = [];

  before(async () => {
    t = await startTestEngine({ webhookWorkers: false, webhookAllowedHosts: 'loopback' });
    receiver = await startReceiver();
  });
  after(async () => {
    for (const child of workers) await stop(child, 'SIGKILL');
    await receiver.close();
    await t.stop();
  });

  test('worker A holds 10 attempts longer than a lease (B leaves them alone), is killed, B delivers each once', { timeout: 120_000 }, async () => {
    const created = await t.api('POST', '/api/v1/webhooks', { body: { url: `${receiver.url}/hook`, events: ['*'] } });
    assert.equal(created.status, 201, created.text);
    let killedAt = 0;
    const before: string[] = [];
    const afterKill: string[] = [];
    // Until the kill the receiver never answers: A's attempts stay in flight (WEBHOOK_TIMEOUT is 30 s).
    receiver.respond((request) => {
      const id = request.headers['webhook-id'] as string;
      if (!killedAt) {
        before.push(id);
        return { status: 200, hang: true };
      }
      afterKill.push(id);
      return { status: 200 };
    });
    const { config } = t.engine;
    const env: Record<string, string> = {
      DATABASE_URL: config.databaseUrl,
      MASK_REDIS_PREFIX: config.redisPrefix,
      REDIS_URL: config.redisUrl ?? '',
      WEBHOOK_ALLOWED_HOSTS: 'loopback',
      WEBHOOK_TIMEOUT: '30s',
      WEBHOOK_POLL_INTERVAL: '100ms',
      WEBHOOK_CONCURRENCY: '10',
      LOG_LEVEL: 'warn',
    };
    const a = await startWorkerProcess(env);
    workers.push(a.child);
    const emitted = await emitter(t)(10, 0);
    await until(() => before.length === 10, 'worker A to have all 10 attempts in flight', 30_000);
    const b = await startWorkerProcess(env);
    workers.push(b.child);
    // Longer than a lease (3 s) with B running: A's heartbeats keep its live attempts its own.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    assert.equal(before.length, 10, 'no live attempt was taken over');

    killedAt = Date.now();
    await stop(a.child, 'SIGKILL');
    await until(() => emitted.every((id) => afterKill.includes(id)), 'worker B to deliver what A held', 5_000).catch((error: Error) => {
      throw new Error(`${error.message} (${afterKill.length} of 10 after ${Date.now() - killedAt} ms); B said:\n${b.output()}`);
    });
    const elapsed = Date.now() - killedAt;
    const { db } = t.parts;
    const pending = () => db('webhook_deliveries').where({ status: 'pending' }).count({ n: '*' }).then(([row]) => Number(row.n));
    await until(async () => (await pending()) === 0, 'the deliveries to be recorded');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.deepEqual([...afterKill].sort(), [...emitted].sort(), 'each message delivered once after the kill');
    const succeeded = await db('webhook_deliveries').where({ status: 'succeeded' }).select('message_id');
    assert.deepEqual(succeeded.map((row) => row.message_id).sort(), [...emitted].sort(), 'one succeeded delivery per message');
    console.log(`# ${emitted.length} deliveries taken over ${elapsed} ms after the SIGKILL`);
    const stopped = await Promise.race([stop(b.child, 'SIGTERM').then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20_000))]);
    assert.ok(stopped, `worker B stops within 20 s of SIGTERM; it said:\n${b.output()}`);
  });
});
