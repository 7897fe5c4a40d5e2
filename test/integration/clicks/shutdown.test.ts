import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'node:test';
import { createDb } from '../../../engine/store/db';
import { newId } from '../../../engine/support/ids';
import { createTestDatabase, testRedis, testSecret } from '../../support/databases';
import { startTestEngine, TEST_DOMAIN } from '../../support/engine';
import { createLink, randomSlug } from '../../support/link-fixtures';
import { DESKTOP_UA, visit } from '../../support/redirect-client';

const N = 240;

/** Sends `count` redirects, `concurrency` at a time, and returns how many answered 302. */
async function sendRedirects(baseUrl: string, paths: string[], count: number, concurrency = 16): Promise<number> {
  let sent = 0;
  let redirected = 0;
  const worker = async () => {
    while (sent < count) {
      const path = paths[sent++ % paths.length];
      if ((await visit(baseUrl, path, { host: TEST_DOMAIN, headers: { 'user-agent': DESKTOP_UA } })).status === 302) redirected++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return redirected;
}

async function countClicks(databaseUrl: string): Promise<{ rows: number; counted: number }> {
  const db = createDb(databaseUrl);
  try {
    const [{ n }] = await db('clicks').count({ n: '*' });
    const [{ total }] = await db('links').sum({ total: 'clicks' });
    return { rows: Number(n), counted: Number(total) };
  } finally {
    await db.destroy();
  }
}

describe('graceful stop loses no click', () => {
  for (const batchSize of [1000, 7]) {
    test(`N redirects, then close(): exactly N click rows and N counted (batches of ${batchSize})`, async () => {
      // The longest grace: this checks that close() writes every click, not how long a loaded machine takes to
      // (what the grace hands to the spool is spool.test's subject).
      const t = await startTestEngine({ clickFlushMs: 60_000, clickBatchSize: batchSize, clickShutdownGrace: 60_000 });
      try {
        const links = await Promise.all(Array.from({ length: 5 }, () => createLink(t.engine, { workspaceId: t.workspace.id })));
        const redirected = await sendRedirects(t.baseUrl, links.map((l) => l.path), N);
        assert.equal(redirected, N);
        await t.engine.close();
        assert.deepEqual(await countClicks(t.engine.config.databaseUrl), { rows: N, counted: N });
      } finally {
        await t.stop();
      }
    });
  }

  test('`mask start` flushes every buffered click on SIGTERM', async () => {
    const database = await createTestDatabase();
    const root = path.join(__dirname, '..', '..', '..');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'engine', 'cli.ts'), 'start'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: database.url,
        PORT: '0',
        MASK_DEFAULT_DOMAIN: TEST_DOMAIN,
        MASK_CLICK_FLUSH_MS: '60000',
        LOG_LEVEL: 'warn',
        ...(testSecret().secret ? { MASK_SECRET: testSecret().secret } : {}),
        ...Object.fromEntries(Object.entries(testRedis()).map(([k, v]) => [k === 'redisUrl' ? 'REDIS_URL' : 'MASK_REDIS_PREFIX', v])),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const baseUrl = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start-up line:\n${output}`)), 30_000);
        child.stdout.on('data', () => {
          // The last start-up line comes after the first workspace exists.
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match && output.includes('Create more API keys')) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.on('exit', () => reject(new Error(`exited early:\n${output}`)));
      });
      const db = createDb(database.url);
      const slug = randomSlug();
      try {
        const { id: workspaceId } = await db('workspaces').first();
        const now = Date.now();
        await db('links').insert({ id: newId('lnk'), workspace_id: workspaceId, mode: 'live', domain: TEST_DOMAIN, slug, url: 'https://example.com/', created_at: now, updated_at: now });
      } finally {
        await db.destroy();
      }
      assert.equal(await sendRedirects(baseUrl, [`/${slug}`], N), N);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, output);
      assert.deepEqual(await countClicks(database.url), { rows: N, counted: N });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await database.drop();
    }
  });
});
