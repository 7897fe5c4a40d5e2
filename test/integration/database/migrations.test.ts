import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDb } from '../../../engine/store/db';
import { migrateLatest, rollbackAll } from '../../../engine/store/migrate';
import { MIGRATIONS } from '../../../migrations';
import { createTestDatabase, testDialect } from '../../support/databases';

test(`migrations apply, roll back completely and re-apply (${testDialect()})`, async () => {
  const database = await createTestDatabase();
  const db = createDb(database.url);
  try {
    const applied = await migrateLatest(db);
    assert.deepEqual(applied, MIGRATIONS.map(([name]) => name));
    assert.ok(await db.schema.hasTable('links'));
    const rolledBack = await rollbackAll(db);
    assert.equal(rolledBack.length, MIGRATIONS.length);
    for (const table of ['links', 'api_keys', 'workspaces', 'events', 'audit_logs']) {
      assert.equal(await db.schema.hasTable(table), false, `${table} dropped`);
    }
    assert.deepEqual(await migrateLatest(db), applied);
    assert.deepEqual(await migrateLatest(db), [], 'idempotent');
  } finally {
    await db.destroy();
    await database.drop();
  }
});
