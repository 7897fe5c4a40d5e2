import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { OutboxEvent } from '../../../engine/domain/outbox';
import { testDialect } from '../../support/databases';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { startWorkerProcess, type WorkerProcess } from '../../support/processes';
import { startReceiver, until, type Receiver } from '../../support/webhook-receiver';

const root = path.join(__dirname, '..', '..', '..');
const EVENTS = 1000;
const KILL_AFTER = [150, 400, 650];

function killByPid(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    process.kill(child.pid as number, 'SIGKILL');
  });
}

describe(`webhook delivery survives SIGKILLed workers (${testDialect()})`, () => {
  let t: TestEngine;
  let receiver: Receiver;
  let worker: WorkerProcess | null = null;
  const bodies = new Map<string, Set<string>>();
  let requests = 0;

  before(async () => {
    t = await startTestEngine({ webhookWorkers: false, webhookAllowedHosts: 'loopback' });
    receiver = await startReceiver();
  });
  after(async () => {
    if (worker) await killByPid(worker.child);
    await receiver.close();
    await t.stop();
  });

  test(`${EVENTS} events, the worker killed ${KILL_AFTER.length} times: every message arrives, duplicates only identical`, async () => {
    const created = await t.api('POST', '/api/v1/webhooks', { body: { url: `${receiver.url}/hook`, events: ['link.updated'] } });
    assert.equal(created.status, 201, created.text);
    const verifier = new Webhook(created.body.secret);
    receiver.respond((request) => {
      requests++;
      verifier.verify(request.body, request.headers as Record<string, string>);
      const id = request.headers['webhook-id'] as string;
      if (!bodies.has(id)) bodies.set(id, new Set());
      bodies.get(id)!.add(request.body);
      // A little latency keeps deliveries in flight when the worker is killed.
      return { status: 200, delayMs: 15 };
    });

    const { config } = t.engine;
    const services = t.parts;
    const env: Record<string, string> = {
      DATABASE_URL: config.databaseUrl,
      MASK_REDIS_PREFIX: config.redisPrefix,
      WEBHOOK_ALLOWED_HOSTS: 'loopback',
      WEBHOOK_TIMEOUT: '1s',
      WEBHOOK_POLL_INTERVAL: '100ms',
      WEBHOOK_SWEEP_INTERVAL: '500ms',
      WEBHOOK_RETRY_SCHEDULE: '500ms,500ms,500ms,500ms,500ms',
      WEBHOOK_CONCURRENCY: '10',
      LOG_LEVEL: 'warn',
      REDIS_URL: config.redisUrl ?? '',
    };
    worker = await startWorkerProcess(env);

    const emitted: string[] = [];
    for (let batch = 0; batch < EVENTS / 50; batch++) {
      const events: OutboxEvent[] = Array.from({ length: 50 }, (_, i) => ({
        workspaceId: t.workspace.id,
        mode: 'live',
        type: 'link.updated',
        data: { id: `lnk_${batch}_${i}`, n: batch * 50 + i },
      }));
      const messages = await services.db.transaction((trx) => services.outbox.enqueue(trx, events, services.clock.now()));
      emitted.push(...messages.map((m) => m.id));
    }

    for (const threshold of KILL_AFTER) {
      await until(() => bodies.size >= threshold, `${threshold} messages before a kill`, 60_000);
      await killByPid(worker.child);
      worker = await startWorkerProcess(env);
    }
    await until(() => bodies.size >= EVENTS, `all ${EVENTS} messages`, 60_000).catch((error: Error) => {
      throw new Error(`${error.message} (have ${bodies.size}); the worker said:\n${worker?.output()}`);
    });
    // What the killed workers held is taken up again once their leases run out.
    const pending = () => services.db('webhook_deliveries').where({ status: 'pending' }).count({ n: '*' }).then(([row]) => Number(row.n));
    await until(async () => (await pending()) === 0, 'the deliveries held by killed workers to be settled', 60_000);

    assert.deepEqual([...bodies.keys()].sort(), [...emitted].sort(), 'every message id, and only those');
    const changed = [...bodies].filter(([, seen]) => seen.size !== 1).map(([id]) => id);
    assert.deepEqual(changed, [], 'a message sent twice has the same body both times');
    const delivered = await services.db('webhook_deliveries').where({ status: 'succeeded' }).countDistinct({ n: 'message_id' });
    assert.equal(Number(delivered[0].n), EVENTS, 'the log shows every message delivered');
    const stopped = await new Promise<number | null>((resolve) => {
      worker!.child.once('exit', (code) => resolve(code));
      process.kill(worker!.child.pid as number, 'SIGTERM');
    });
    assert.equal(stopped, 0, 'mask worker stops cleanly on SIGTERM');
    console.log(`# ${requests} requests for ${EVENTS} messages (${requests - EVENTS} duplicates after ${KILL_AFTER.length} kills)`);
  });

  test('mask start --no-workers leaves delivery to mask worker', () => {
    const help = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'engine', 'cli.ts'), 'start', '--help'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /--no-workers/);
  });
});
