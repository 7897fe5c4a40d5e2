// Failure model (issue: "N engines + M `mask worker` processes on Postgres + Redis: every click stored once;
// `max_clicks` exact across processes"): two engine processes and two worker processes share one Postgres and one
// Redis. Visits to a capped and an uncapped link are spread over both engines; then every click must be stored once,
// counted once, exactly max_clicks let through, and each stored click announced by one `click.recorded` message.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { testDialect } from '../../support/databases';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { createLink } from '../../support/link-fixtures';
import { startEngineProcess, startWorkerProcess, type EngineProcess, type WorkerProcess } from '../../support/processes';
import { DESKTOP_UA, visitSpread } from '../../support/redirect-client';
import { startReceiver, until, type Receiver } from '../../support/webhook-receiver';

const shared = testDialect() === 'postgres' && process.env.TEST_REDIS_URL ? false : 'needs Postgres and Redis (TEST_DATABASE_URL, TEST_REDIS_URL)';
const CAP = 150;
/** Visits to each of the two links. */
const VISITS = 400;

const count = (statuses: number[] | undefined, status: number) => (statuses ?? []).filter((s) => s === status).length;

describe('two engines and two workers on one Postgres and Redis', { skip: shared }, () => {
  let t: TestEngine;
  let receiver: Receiver;
  let dataDir: string;
  const engines: EngineProcess[] = [];
  const workers: WorkerProcess[] = [];

  before(async () => {
    t = await startTestEngine({ webhookWorkers: false, webhookAllowedHosts: 'loopback' });
    receiver = await startReceiver();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mask-scale-out-'));
  });
  after(async () => {
    await Promise.all([...engines, ...workers].map((p) => p.stop()));
    await receiver?.close();
    await t?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test(`every click stored and announced once, max_clicks ${CAP} exact`, { timeout: 180_000 }, async () => {
    const subscribed = await t.api('POST', '/api/v1/webhooks', { body: { url: `${receiver.url}/hooks`, events: ['click.recorded'] } });
    assert.equal(subscribed.status, 201, subscribed.text);
    const capped = await createLink(t.engine, { workspaceId: t.workspace.id, max_clicks: CAP });
    const plain = await createLink(t.engine, { workspaceId: t.workspace.id });

    const { databaseUrl, redisUrl, redisPrefix } = t.engine.config;
    const common = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl ?? '', MASK_REDIS_PREFIX: redisPrefix, WEBHOOK_ALLOWED_HOSTS: 'loopback', LOG_LEVEL: 'warn' };
    const engineEnv = (n: number) => ({ ...common, MASK_DEFAULT_DOMAIN: TEST_DOMAIN, MASK_DATA_DIR: path.join(dataDir, `engine-${n}`), WEBHOOK_WORKERS: 'false' });
    engines.push(...(await Promise.all([startEngineProcess(engineEnv(1)), startEngineProcess(engineEnv(2))])));
    const workerEnv = { ...common, WEBHOOK_POLL_INTERVAL: '100ms', WEBHOOK_CONCURRENCY: '10' };
    workers.push(...(await Promise.all([startWorkerProcess(workerEnv), startWorkerProcess(workerEnv)])));

    const statuses = await visitSpread(engines.map((e) => e.url), [capped.path, plain.path], 2 * VISITS, 32, { host: TEST_DOMAIN, headers: { 'user-agent': DESKTOP_UA } });
    assert.equal(count(statuses.get(capped.path), 302), CAP, 'exactly max_clicks redirects across both engines');
    assert.equal(count(statuses.get(capped.path), 410), VISITS - CAP, 'the rest refused');
    assert.equal(count(statuses.get(plain.path), 302), VISITS);

    // A graceful stop writes what each engine still buffers.
    await Promise.all(engines.splice(0).map((e) => e.stop()));
    const { db } = t.parts;
    const rows: Array<{ id: string; link_id: string }> = await db('clicks').whereIn('link_id', [capped.id, plain.id]).select('id', 'link_id');
    assert.equal(rows.filter((r) => r.link_id === capped.id).length, CAP, 'capped link: one row per redirect');
    assert.equal(rows.filter((r) => r.link_id === plain.id).length, VISITS, 'plain link: one row per redirect');
    const counters = new Map((await db('links').whereIn('id', [capped.id, plain.id]).select('id', 'clicks')).map((l) => [l.id, Number(l.clicks)]));
    assert.deepEqual([counters.get(capped.id), counters.get(plain.id)], [CAP, VISITS], 'counted once each');

    const announced = () => new Set(receiver.received.map((r) => JSON.parse(r.body)).filter((e) => e.type === 'click.recorded').map((e) => e.data.click_id as string));
    await until(() => announced().size >= rows.length, `${rows.length} click.recorded messages`, 60_000).catch((error: Error) => {
      throw new Error(`${error.message} (have ${announced().size}); the workers said:\n${workers.map((w) => w.output()).join('\n')}`);
    });
    assert.deepEqual([...announced()].sort(), rows.map((r) => r.id).sort(), 'one message per stored click, none for any other');
    const bodies = new Map<string, Set<string>>();
    for (const { headers, body } of receiver.received) bodies.set(String(headers['webhook-id']), (bodies.get(String(headers['webhook-id'])) ?? new Set()).add(body));
    assert.deepEqual([...bodies.values()].filter((seen) => seen.size > 1), [], 'a message delivered twice carries the same body');
  });
});
