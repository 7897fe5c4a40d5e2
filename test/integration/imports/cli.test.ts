import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Knex } from 'knex';
import { createEngine } from '../../../engine';
import { buildCli } from '../../../engine/cli';
import { createDb } from '../../../engine/store/db';
import { createTestDatabase, testSecret, type TestDatabase } from '../../support/databases';

const INSTANCE_DOMAIN = 'go.instance.test';

/** Runs the CLI in this process (each command migrates, acts and closes its own engine) and returns what it printed. */
async function mask(...args: string[]): Promise<string> {
  let output = '';
  await buildCli((line = '') => (output += `${line}\n`)).parseAsync(['node', 'mask', ...args]);
  return output;
}

describe('mask import and mask export put links on the instance domain stored at the first start', () => {
  let database: TestDatabase;
  let db: Knex;
  let workspaceId: string;
  let dir: string;
  before(async () => {
    database = await createTestDatabase();
    // The first start stores its domain; the CLI below runs without MASK_DEFAULT_DOMAIN, as on another host would.
    const first = createEngine({ databaseUrl: database.url, logLevel: 'silent', env: {}, ...testSecret(), webhookWorkers: false, defaultDomain: INSTANCE_DOMAIN });
    await first.listen(0, '127.0.0.1');
    workspaceId = (await first.workspaces.create({ name: 'Imported' })).id;
    await first.close();
    delete process.env.MASK_DEFAULT_DOMAIN;
    Object.assign(process.env, { DATABASE_URL: database.url, LOG_LEVEL: 'warn' });
    db = createDb(database.url);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mask-import-cli-'));
  });
  after(async () => {
    await db.destroy();
    await database.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('an imported link lands on the stored instance domain, and the export names it there', async () => {
    const file = path.join(dir, 'links.csv');
    fs.writeFileSync(file, 'url,slug\nhttps://example.com/from-cli,from-cli\n');
    assert.match(await mask('import', 'csv', file, '--workspace', workspaceId, '--no-progress'), /completed: 1 created, 0 skipped, 0 failed/);
    const link = await db('links').where({ workspace_id: workspaceId, slug: 'from-cli' }).first();
    assert.equal(link?.domain, INSTANCE_DOMAIN);

    const exported = path.join(dir, 'links.json');
    await mask('export', '--workspace', workspaceId, '--format', 'json', '--output', exported);
    const links = JSON.parse(fs.readFileSync(exported, 'utf8')) as Array<{ slug: string; short_url: string }>;
    assert.deepEqual(links.map((l) => [l.slug, l.short_url]), [['from-cli', `https://${INSTANCE_DOMAIN}/from-cli`]]);
  });
});
