// Failure model: "mask start --processes N: the primary migrates and bootstraps once, N workers share the port, a dead
// worker is replaced, SIGTERM drains them all with their buffered clicks stored."
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createEngine } from '../../../engine';
import { createDb } from '../../../engine/store/db';
import { createTestDatabase, testDialect, testSecret } from '../../support/databases';
import { TEST_DOMAIN } from '../../support/engine';
import { freePort } from '../../support/processes';
import { visit } from '../../support/redirect-client';
import { until } from '../../support/webhook-receiver';

const root = path.join(__dirname, '..', '..', '..');

test(`mask start --processes 2 (${testDialect()}): one bootstrap, a killed worker replaced, SIGTERM stores every click`, { timeout: 180_000 }, async () => {
  const database = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mask-cluster-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'engine', 'cli.ts'), 'start', '--processes', '2'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', MASK_DEFAULT_DOMAIN: TEST_DOMAIN, MASK_DATA_DIR: dataDir, WEBHOOK_WORKERS: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const db = createDb(database.url);
  try {
    await until(() => /is listening on .* with 2 processes/.test(output) && /Create more API keys/.test(output), 'the cluster to listen', 90_000).catch((error: Error) => {
      throw new Error(`${error.message}:\n${output}`);
    });
    const key = /^\s+(mask_\S+)$/m.exec(output)?.[1] ?? /^\s{4}(\S+)$/m.exec(output)?.[1];
    assert.ok(key, `the first admin key is printed once:\n${output}`);
    assert.equal(output.match(/Created workspace/g)?.length, 1, 'one bootstrap');
    const baseUrl = `http://127.0.0.1:${port}`;
    const pids = () => [...output.matchAll(/worker (\d+) started/g)].map((match) => Number(match[1]));
    const listening = () => output.match(/worker \d+ listening/g)?.length ?? 0;
    await until(() => pids().length === 2 && listening() === 2, 'both workers to listen', 60_000);

    const created = await fetch(`${baseUrl}/api/v1/links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://example.com/cluster' }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const link = (await created.json()) as { id: string; slug: string };

    const [victim] = pids();
    process.kill(victim, 'SIGKILL');
    await until(() => pids().length === 3, 'the killed worker to be replaced', 60_000);
    await until(() => listening() === 3, 'the replacement to listen', 60_000);
    assert.match(output, new RegExp(`worker ${victim} died \\(SIGKILL\\); replacing it`));
    // Every request now reaches a live worker (the replacement or the survivor).
    await until(async () => (await fetch(`${baseUrl}/healthz`).catch(() => null))?.status === 200, 'the cluster to answer');

    const REDIRECTS = 40;
    let redirected = 0;
    for (let i = 0; i < REDIRECTS; i++) {
      if ((await visit(baseUrl, `/${link.slug}`, { host: TEST_DOMAIN })).status === 302) redirected++;
    }
    assert.equal(redirected, REDIRECTS);

    process.kill(child.pid as number, 'SIGTERM');
    assert.equal(await exited, 0, `a clean exit:\n${output}`);
    const count = async () => Number((await db('clicks').where({ link_id: link.id }).count({ n: '*' }))[0].n);
    const stored = await count();
    // SQLite has one writer: clicks a busy worker could not write wait in its spool file, durable, for the next start.
    if (stored < REDIRECTS) {
      const next = createEngine({ databaseUrl: database.url, dataDir, defaultDomain: TEST_DOMAIN, logLevel: 'silent', env: {}, webhookWorkers: false, ...testSecret() });
      await next.start();
      await until(async () => (await count()) >= REDIRECTS, 'the spooled clicks to be replayed', 30_000).catch(() => undefined);
      await next.close();
    }
    console.log(`# ${stored} of ${REDIRECTS} clicks written by the workers on SIGTERM, the rest from their spool files`);
    assert.equal(await count(), REDIRECTS, 'every click of the workers is stored (written on SIGTERM, or spooled and replayed)');
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const pid of [...output.matchAll(/worker (\d+) started/g)].map((match) => Number(match[1]))) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await db.destroy();
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
