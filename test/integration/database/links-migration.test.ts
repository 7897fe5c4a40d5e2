import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDb } from '../../../engine/store/db';
import { MIGRATIONS } from '../../../migrations';
import { migrationConfig, rollBackThrough } from '../../support/migrations';
import { createTestDatabase, testDialect } from '../../support/databases';

// Later migrations are left out, so `down` undoes 002 itself.
const UP_TO_002 = MIGRATIONS.slice(0, MIGRATIONS.findIndex(([name]) => name === '20261121_002_link_tag_keyset') + 1);

test(`migration 002 backfills link_tags on existing data, keeps it in step, and rolls back (${testDialect()})`, async () => {
  const database = await createTestDatabase();
  const db = createDb(database.url);
  try {
    await db.migrate.latest(migrationConfig(MIGRATIONS.slice(0, 1)));
    await db('workspaces').insert({ id: 'ws_1', name: 'W', created_at: 1, updated_at: 1 });
    await db('links').insert({ id: 'lnk_1', workspace_id: 'ws_1', mode: 'live', domain: 'd.example', slug: 'abcd', url: 'https://e.example/', tags: '["a","b"]', clicks: 7, created_at: 100, updated_at: 200 });
    await db('link_tags').insert([{ link_id: 'lnk_1', workspace_id: 'ws_1', mode: 'live', tag: 'a' }, { link_id: 'lnk_1', workspace_id: 'ws_1', mode: 'live', tag: 'b' }]);

    await db.migrate.latest(migrationConfig(UP_TO_002));
    const backfilled = await db('link_tags').orderBy('tag').select('tag', 'created_at', 'updated_at', 'clicks');
    assert.deepEqual(backfilled, [
      { tag: 'a', created_at: 100, updated_at: 200, clicks: 7 },
      { tag: 'b', created_at: 100, updated_at: 200, clicks: 7 },
    ]);

    await db('links').where({ id: 'lnk_1' }).increment('clicks', 3);
    await db('links').where({ id: 'lnk_1' }).update({ updated_at: 300 });
    assert.deepEqual(await db('link_tags').distinct('clicks', 'updated_at'), [{ clicks: 10, updated_at: 300 }], 'the trigger follows every update');

    await rollBackThrough(db, '20261121_002_link_tag_keyset');
    assert.equal(await db.schema.hasColumn('link_tags', 'clicks'), false);
    assert.equal(Number((await db('link_tags').count({ n: '*' }))[0].n), 2, 'rows survive the rollback');
    await db('links').where({ id: 'lnk_1' }).increment('clicks', 1);
    await db.migrate.latest(migrationConfig(UP_TO_002));
    assert.deepEqual(await db('link_tags').distinct('clicks'), [{ clicks: 11 }], 're-applied: backfilled again');
  } finally {
    await db.destroy();
    await database.drop();
  }
});
