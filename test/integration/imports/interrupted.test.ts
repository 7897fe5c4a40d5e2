import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { createEngine } from '../../../engine';
import { createDb } from '../../../engine/store/db';
import { createTestDatabase, testDialect, TEST_SECRET, type TestDatabase } from '../../support/databases';
import { startEngineProcess, type EngineProcess } from '../../support/processes';

const CLI = path.join(__dirname, '..', '..', '..', 'engine', 'cli.ts');
const ROWS = 40_000;
const CHUNK = 500;

describe('Imports: a SIGKILL mid-import leaves whole chunks, and the job resumes at its cursor', () => {
  let database: TestDatabase;
  let db: Knex;
  let workspaceId: string;
  let env: Record<string, string>;
  let file: string;
  let engineProcess: EngineProcess | null = null;
  before(async () => {
    database = await createTestDatabase();
    env = { DATABASE_URL: database.url, MASK_IMPORT_LEASE: '1s', LOG_LEVEL: 'warn', ...(testDialect() === 'postgres' ? { MASK_SECRET: TEST_SECRET } : {}) };
    const setup = createEngine({ databaseUrl: database.url, logLevel: 'silent', env: {}, ...(testDialect() === 'postgres' ? { secret: TEST_SECRET } : {}) });
    await setup.migrate();
    workspaceId = (await setup.workspaces.create({ name: 'Interrupted' })).id;
    await setup.close();
    // A connection of the test's own, to watch the job from outside the processes that run it.
    db = createDb(database.url);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mask-import-'));
    file = path.join(dir, 'links.csv');
    const lines = ['url,slug,title,tags'];
    for (let i = 0; i < ROWS; i++) lines.push(`https://example.com/${i},row-${String(i).padStart(6, '0')},Row ${i},a|b`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
  });
  after(async () => {
    await engineProcess?.stop();
    await db.destroy();
    await database.drop();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  // Without the file: a failure message that prints the job stays readable (the file is 2 MB).
  const job = async () => db('imports').first(['id', 'status', 'processed_rows', 'created_count', 'skipped_count', 'failed_count']);
  const count = async (table: string, where: Record<string, unknown> = {}) => Number((await db(table).where(where).count({ n: '*' }))[0].n);

  test('killed mid-import: committed rows match the cursor exactly; a restarted engine finishes the job without duplicates', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'import', 'csv', file, '--workspace', workspaceId], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + 120_000;
    for (;;) {
      const row = await job().catch(() => undefined);
      if (row && row.processed_rows >= 2 * CHUNK) break;
      assert.ok(Date.now() < deadline, `the import never got going: ${stderr}`);
      await sleep(10);
    }
    child.kill('SIGKILL');
    await exited;
    assert.match(stderr, /Importing \[.*\] \d+% \| \d+\/40000 rows/);

    const interrupted = await job();
    assert.equal(interrupted.status, 'running');
    assert.ok(interrupted.processed_rows < ROWS, 'killed before the end');
    assert.equal(interrupted.processed_rows % CHUNK, 0, 'the cursor moves by whole chunks');
    assert.equal(interrupted.created_count, interrupted.processed_rows);
    // No half rows: every committed row is one link with its tags and its source record, and nothing beyond the cursor.
    assert.equal(await count('links', { workspace_id: workspaceId }), interrupted.processed_rows);
    assert.equal(await count('link_imports'), interrupted.processed_rows);
    assert.equal(await count('link_tags', { workspace_id: workspaceId }), 2 * interrupted.processed_rows);

    engineProcess = await startEngineProcess(env);
    const finishBy = Date.now() + 120_000;
    let done = await job();
    while (done.status !== 'completed') {
      assert.ok(Date.now() < finishBy, `not resumed: ${JSON.stringify(done)}`);
      await sleep(100);
      done = await job();
    }
    assert.deepEqual([done.processed_rows, done.created_count, done.skipped_count, done.failed_count], [ROWS, ROWS, 0, 0]);
    assert.equal(await count('links', { workspace_id: workspaceId }), ROWS);
    const [{ n }] = await db('links').where({ workspace_id: workspaceId }).countDistinct({ n: 'slug' });
    assert.equal(Number(n), ROWS);
    assert.equal(await count('audit_logs', { action: 'import.completed' }), 1);
  });

  test('mask import --resume reports a finished job; importing the same file again creates nothing', async () => {
    const id = (await job()).id;
    const resume = await run(['import', '--resume', id, '--no-progress']);
    assert.match(resume.stdout, new RegExp(`Import ${id} completed: ${ROWS} created, 0 skipped, 0 failed`));
    const again = await run(['import', 'csv', file, '--workspace', workspaceId, '--no-progress']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /completed: 0 created, 40000 skipped, 0 failed/);
    assert.equal(await count('links', { workspace_id: workspaceId }), ROWS);
    const unknown = await run(['import', 'tinyurl', file, '--workspace', workspaceId]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /source: Must be one of/);
  });

  async function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    return { code, stdout, stderr };
  }
});
