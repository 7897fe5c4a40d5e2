import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createEngine } from '../../../engine';
import { createDb } from '../../../engine/store/db';
import { partsOf } from '../../../engine/wiring';
import { createTestDatabase, testDialect, testSecret } from '../../support/databases';
import { TEST_DOMAIN } from '../../support/engine';
import { createLink } from '../../support/link-fixtures';
import { takeTableOffline } from '../../support/outage';
import { startEngineProcess } from '../../support/processes';
import { DESKTOP_UA, visit } from '../../support/redirect-client';
import { startTcpProxy } from '../../support/tcp-proxy';

const BEFORE = 150;
const DURING = 250;

async function sendRedirects(baseUrl: string, linkPath: string, count: number, concurrency = 8): Promise<number> {
  let sent = 0;
  let redirected = 0;
  const worker = async () => {
    while (sent++ < count) {
      if ((await visit(baseUrl, linkPath, { host: TEST_DOMAIN, headers: { 'user-agent': DESKTOP_UA } })).status === 302) redirected++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return redirected;
}

test('SIGTERM while the database is cut loses no click: the next engine on the same data stores every 3xx', async () => {
  const database = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mask-data-'));
  const postgres = testDialect() === 'postgres';
  // Postgres: the engine goes through a proxy whose path is then cut (queries hang); SQLite: its clicks table goes away.
  const target = new URL(database.url);
  const proxy = postgres ? await startTcpProxy(target.hostname, Number(target.port || 5432)) : null;
  const engineUrl = proxy ? Object.assign(new URL(database.url), { host: `127.0.0.1:${proxy.port}` }).toString() : database.url;
  const env = { DATABASE_URL: engineUrl, MASK_DATA_DIR: dataDir, MASK_DEFAULT_DOMAIN: TEST_DOMAIN, MASK_CLICK_SHUTDOWN_GRACE: '1s', WEBHOOK_WORKERS: 'false' };
  const db = createDb(database.url);
  let bringBack: (() => Promise<void>) | null = null;
  try {
    const setup = createEngine({ databaseUrl: database.url, dataDir, defaultDomain: TEST_DOMAIN, logLevel: 'silent', env: {}, ...testSecret() });
    await setup.start();
    const workspace = await partsOf(setup).workspaces.create({ name: 'Spool' });
    const link = await createLink(setup, { workspaceId: workspace.id });
    await setup.close();

    const first = await startEngineProcess(env);
    let redirected = await sendRedirects(first.url, link.path, BEFORE);
    if (proxy) proxy.stall();
    else bringBack = await takeTableOffline(db, 'clicks');
    redirected += await sendRedirects(first.url, link.path, DURING);
    assert.equal(redirected, BEFORE + DURING, 'cached links redirect while the database is cut');
    await first.stop();

    if (proxy) proxy.restore();
    else await bringBack?.();
    bringBack = null;
    const second = await startEngineProcess(env);
    try {
      let rows = 0;
      for (let i = 0; i < 200 && rows < redirected; i++) {
        rows = Number((await db('clicks').count({ n: '*' }))[0].n);
        if (rows < redirected) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(rows, redirected, 'stored clicks == 3xx answers');
      assert.equal(Number((await db('links').where({ id: link.id }).first()).clicks), redirected, 'counted once each');
    } finally {
      await second.stop();
    }
    assert.deepEqual(fs.readdirSync(path.join(dataDir, 'spool')), [], 'the spool was replayed and emptied');
  } finally {
    await bringBack?.();
    await db.destroy();
    await proxy?.close();
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
