import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { createDb } from '../../../engine/store/db';
import { createTestDatabase, testDialect } from '../../support/databases';

test('Postgres int8 values read as numbers on engine connections only, never through pg’s global parsers', { skip: testDialect() !== 'postgres' && 'runs in the Postgres pass' }, async () => {
  const database = await createTestDatabase();
  const db = createDb(database.url);
  try {
    const { rows } = await db.raw('select 9007199254740991::int8 as big, 5::int8 as small');
    assert.deepEqual(rows[0], { big: Number.MAX_SAFE_INTEGER, small: 5 });
    assert.equal(pg.types.getTypeParser(20, 'text')('5'), '5', 'a host app using pg still gets strings');
  } finally {
    await db.destroy();
    await database.drop();
  }
});
