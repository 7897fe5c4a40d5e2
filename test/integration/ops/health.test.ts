// Failure model: "/readyz reports each dependency honestly": /healthz says the process is alive, /readyz whether it
// can serve its role now, naming each dependency ok / degraded / down. `mask worker` serves both on MASK_WORKER_PORT.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { createTestDatabase, testDialect } from '../../support/databases';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { freePort, privateRedis, type PrivateRedis } from '../../support/processes';

const root = path.join(__dirname, '..', '..', '..');

interface Ready {
  status: string;
  checks: Record<string, string>;
}

async function readyz(baseUrl: string): Promise<{ status: number; body: Ready }> {
  const response = await fetch(`${baseUrl}/readyz`);
  return { status: response.status, body: (await response.json()) as Ready };
}

describe('health probes', () => {
  let t: TestEngine;
  const lines: Array<{ level: number; msg: string; path?: string }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });

  before(async () => {
    t = await startTestEngine({ logger: pino({ level: 'info' }, stream) });
  });
  after(() => t.stop());

  test('/healthz: alive', async () => {
    const response = await fetch(`${t.baseUrl}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  test('/readyz: each dependency by name, all ok', async () => {
    const { status, body } = await readyz(t.baseUrl);
    assert.equal(status, 200);
    assert.equal(body.status, 'ok');
    assert.equal(body.checks.database, 'ok');
    for (const state of Object.values(body.checks)) assert.equal(state, 'ok');
    if (testDialect() === 'postgres' && process.env.TEST_REDIS_URL) {
      assert.equal(body.checks.redis, 'ok');
      assert.equal(body.checks.webhook_queue, 'ok');
    }
  });

  test('probes log at debug, other requests at info', async () => {
    lines.length = 0;
    await fetch(`${t.baseUrl}/healthz`);
    await fetch(`${t.baseUrl}/readyz`);
    await t.api('GET', '/api/v1/me');
    const requestLines = lines.filter((line) => line.msg === 'request');
    assert.equal(requestLines.length, 1, 'only the API request is logged at info');
    assert.ok(requestLines.every((line) => line.path !== '/healthz' && line.path !== '/readyz'));
  });
});

describe('readiness is about the role', { skip: testDialect() !== 'postgres' && 'Redis runs in the Postgres + Redis pass' }, () => {
  let redis: PrivateRedis;
  let apiOnly: TestEngine;
  let delivering: TestEngine;

  before(async () => {
    redis = await privateRedis();
    await redis.start();
    const prefix = `mask-test:${randomBytes(6).toString('hex')}:`;
    apiOnly = await startTestEngine({ redisUrl: redis.url, redisPrefix: prefix, webhookWorkers: false });
    delivering = await startTestEngine({ redisUrl: redis.url, redisPrefix: prefix, webhookWorkers: true });
  });
  after(async () => {
    await apiOnly?.stop();
    await delivering?.stop();
    await redis?.stop();
  });

  test('with Redis down, an engine without workers stays ready (degraded); one that delivers webhooks is not', async () => {
    await redis.stop();
    const withoutWorkers = await readyz(apiOnly.baseUrl);
    assert.equal(withoutWorkers.status, 200, JSON.stringify(withoutWorkers.body));
    assert.equal(withoutWorkers.body.status, 'degraded');
    assert.equal(withoutWorkers.body.checks.database, 'ok');
    assert.equal(withoutWorkers.body.checks.redis, 'degraded');
    assert.equal(withoutWorkers.body.checks.webhook_queue, 'degraded');

    const withWorkers = await readyz(delivering.baseUrl);
    assert.equal(withWorkers.status, 503);
    assert.equal(withWorkers.body.status, 'down');
    assert.equal(withWorkers.body.checks.webhook_queue, 'down');
    assert.equal(withWorkers.body.checks.database, 'ok');

    await redis.start();
    for (let attempt = 0; ; attempt++) {
      const again = await readyz(delivering.baseUrl);
      if (again.status === 200) break;
      assert.ok(attempt < 100, `ready again once Redis is back: ${JSON.stringify(again.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
});

describe('mask worker probes (MASK_WORKER_PORT)', () => {
  test('/healthz and /readyz on the configured port', { timeout: 60_000 }, async () => {
    const database = await createTestDatabase();
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'engine', 'cli.ts'), 'worker'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: database.url, REDIS_URL: '', MASK_WORKER_PORT: String(port), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        let output = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('webhook worker running')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${output}`)));
      });
      const base = `http://127.0.0.1:${port}`;
      const health = await fetch(`${base}/healthz`);
      assert.equal(health.status, 200);
      const { status, body } = await readyz(base);
      assert.equal(status, 200);
      assert.equal(body.checks.database, 'ok');
      assert.equal((await fetch(`${base}/api/v1/me`)).status, 404, 'only probes are served there');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await database.drop();
    }
  });
});
