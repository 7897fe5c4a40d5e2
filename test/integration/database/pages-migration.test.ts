import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDb } from '../../../engine/store/db';
import { migrateLatest } from '../../../engine/store/migrate';
import { createTestDatabase, testDialect } from '../../support/databases';
import { rollBackThrough } from '../../support/migrations';

test(`migration 006 rolls back over live data and applies again (${testDialect()})`, async () => {
  const database = await createTestDatabase();
  const db = createDb(database.url);
  try {
    await migrateLatest(db);
    const now = Date.now();
    await db('workspaces').insert({ id: 'ws_1', name: 'W', created_at: now, updated_at: now });
    const link = { workspace_id: 'ws_1', mode: 'live', domain: 'd.test', url: 'https://example.com/', created_at: now, updated_at: now };
    await db('links').insert({ ...link, id: 'lnk_user', slug: 'user-link' });
    await db('pages').insert({ id: 'pg_1', workspace_id: 'ws_1', mode: 'live', domain: 'd.test', handle: 'h', theme: 'auto', published: true, created_at: now, updated_at: now });
    await db('links').insert({ ...link, id: 'lnk_managed', slug: 'managed', page_id: 'pg_1' });
    await db('page_items').insert([
      { page_id: 'pg_1', position: 0, label: 'User', link_id: 'lnk_user' },
      { page_id: 'pg_1', position: 1, label: 'Managed', link_id: 'lnk_managed' },
    ]);

    const undone = await rollBackThrough(db, '20261121_006_pages');
    assert.equal(await db.schema.hasTable('pages'), false);
    assert.equal(await db.schema.hasTable('page_items'), false);
    assert.equal(await db.schema.hasColumn('links', 'page_id'), false);
    assert.deepEqual((await db('links').select('id')).map((row: { id: string }) => row.id), ['lnk_user'], 'managed links go with their pages');

    assert.deepEqual(await migrateLatest(db), [...undone].reverse());
    assert.equal(await db.schema.hasColumn('links', 'page_id'), true);
    await db('pages').insert({ id: 'pg_2', workspace_id: 'ws_1', mode: 'live', domain: 'd.test', handle: 'h', theme: 'auto', created_at: now, updated_at: now });
    await assert.rejects(
      db('pages').insert({ id: 'pg_3', workspace_id: 'ws_1', mode: 'live', domain: 'd.test', handle: 'h', theme: 'auto', created_at: now, updated_at: now }),
      'handles are unique per domain',
    );
  } finally {
    await db.destroy();
    await database.drop();
  }
});
