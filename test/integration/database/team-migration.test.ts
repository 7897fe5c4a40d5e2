import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asBool, createDb, isUniqueViolation } from '../../../engine/store/db';
import { monthOf } from '../../../engine/domain/plans';
import { migrateLatest } from '../../../engine/store/migrate';
import { MIGRATIONS } from '../../../migrations';
import { migrationConfig, rollBackThrough } from '../../support/migrations';
import { createTestDatabase, testDialect } from '../../support/databases';

const TEAM_PLAN = MIGRATIONS.findIndex(([name]) => name === '20261121_007_team_plan');

test(`migration 007 aligns is_default with the workspace default, carries this month's clicks over, keeps data across a rollback and re-applies (${testDialect()})`, async () => {
  const database = await createTestDatabase();
  const db = createDb(database.url);
  try {
    await db.migrate.latest(migrationConfig(MIGRATIONS.slice(0, TEAM_PLAN)));
    await db('workspaces').insert({ id: 'ws_1', name: 'W', default_domain: 'b.example', created_at: 1, updated_at: 1 });
    // Data the foundation allowed: two rows marked default, neither of them what the workspace says.
    await db('domains').insert([
      { id: 'dom_a', workspace_id: 'ws_1', hostname: 'a.example', secure: true, is_default: true, created_at: 1 },
      { id: 'dom_b', workspace_id: 'ws_1', hostname: 'b.example', secure: true, is_default: false, created_at: 2 },
      { id: 'dom_c', workspace_id: 'ws_1', hostname: 'c.example', secure: false, is_default: true, created_at: 3 },
    ]);
    const now = Date.now();
    const click = (id: string, over: Record<string, unknown> = {}) => ({
      id, link_id: 'lnk_1', workspace_id: 'ws_1', mode: 'live', created_at: now, device: 'desktop', is_bot: false, is_head: false, visitor_hash: 'v', ...over,
    });
    await db('clicks').insert([
      click('clk_1'),
      click('clk_2'),
      click('clk_3', { is_bot: true }),
      click('clk_4', { is_head: true }),
      click('clk_5', { mode: 'test' }),
      click('clk_6', { created_at: monthOf(now).start - 1 }),
    ]);
    await db('api_keys').insert({ id: 'key_1', workspace_id: 'ws_1', name: 'k', mode: 'live', key_hash: 'h', prefix: 'p', last4: 'l', scopes: '[]', created_at: 1 });

    await migrateLatest(db);
    const defaults = await db('domains').orderBy('id').select('id', 'is_default');
    assert.deepEqual(defaults.map((row) => [row.id, asBool(row.is_default)]), [['dom_a', false], ['dom_b', true], ['dom_c', false]]);
    const workspace = await db('workspaces').where({ id: 'ws_1' }).first();
    assert.equal(workspace.plan_name, 'default');
    assert.equal(workspace.plan_max_links, null);
    const usage = await db('workspace_monthly_usage').orderBy('mode').select('mode', 'month_start', 'clicks');
    assert.deepEqual(usage, [
      { mode: 'live', month_start: monthOf(now).start, clicks: 2 },
      { mode: 'test', month_start: monthOf(now).start, clicks: 1 },
    ], 'this month’s counted clicks are carried over');
    await assert.rejects(db('domains').where({ id: 'dom_a' }).update({ is_default: true }), (error) => isUniqueViolation(error), 'one default per workspace');

    await rollBackThrough(db, '20261121_007_team_plan');
    assert.equal(await db.schema.hasTable('members'), false);
    assert.equal(await db.schema.hasColumn('workspaces', 'plan_name'), false);
    assert.equal((await db('workspaces').first()).default_domain, 'b.example', 'workspaces survive the rollback');
    assert.equal(Number((await db('domains').count({ n: '*' }))[0].n), 3, 'domains survive');
    assert.equal(Number((await db('api_keys').count({ n: '*' }))[0].n), 1, 'rows referencing workspaces survive');

    await migrateLatest(db);
    assert.equal(await db.schema.hasTable('members'), true);
    assert.equal((await db('workspaces').first()).plan_name, 'default');
  } finally {
    await db.destroy();
    await database.drop();
  }
});
