// Failure model: "Several processes may start at once on an empty database: migrations and first-start bootstrap
// run under a lock." Four engines with pools of their own (as four processes would have) start at once on one empty
// database and run `mask start`'s first-start bootstrap, five times over.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import knex from 'knex';
import { createEngine } from '../../../engine';
import { firstStart } from '../../../engine/cli';
import { createTestDatabase, testDialect, testSecret } from '../../support/databases';

const ENGINES = 4;
const ROUNDS = 5;

describe(`${ENGINES} engines started at once on an empty ${testDialect()} database`, () => {
  for (let round = 1; round <= ROUNDS; round++) {
    test(`round ${round}: all start, one workspace, one printed key, one secret`, { timeout: 120_000 }, async () => {
      const database = await createTestDatabase();
      const engines = Array.from({ length: ENGINES }, () =>
        createEngine({ databaseUrl: database.url, logLevel: 'silent', env: {}, ...testSecret(), webhookWorkers: false, defaultDomain: 'go.mask.test' }),
      );
      try {
        const outcomes = await Promise.allSettled(engines.map(async (engine) => {
          await engine.start();
          return firstStart(engine);
        }));
        const failures = outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => String((outcome as PromiseRejectedResult).reason));
        assert.deepEqual(failures, [], 'every engine starts');
        const printed = outcomes.filter((outcome) => outcome.status === 'fulfilled' && outcome.value !== null);
        assert.equal(printed.length, 1, 'exactly one engine creates (and would print) the first admin key');

        const file = database.url.startsWith('sqlite:') ? database.url.slice('sqlite:'.length) : null;
        const db = file
          ? knex({ client: 'better-sqlite3', connection: { filename: file }, useNullAsDefault: true })
          : knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 1 } });
        try {
          assert.deepEqual((await db('workspaces').select('name')).map((w) => w.name), ['Default']);
          assert.equal((await db('api_keys').count({ n: '*' }))[0].n, testDialect() === 'postgres' ? '1' : 1);
          // Postgres runs with MASK_SECRET (it is required there), so no secret is generated into the database.
          assert.equal((await db('engine_settings').where({ key: 'secret' })).length, testDialect() === 'postgres' ? 0 : 1);
          const migrations = (await db('knex_migrations').select('name')).map((m) => m.name);
          assert.equal(new Set(migrations).size, migrations.length, 'each migration applied once');
        } finally {
          await db.destroy();
        }
        // One secret shared by every engine (it signs cursors and cookies across processes).
        const cursors = await Promise.all(engines.map((engine) => engine.keys.list()));
        assert.ok(cursors.every((keys) => keys.length === 1));
      } finally {
        await Promise.all(engines.map((engine) => engine.close().catch(() => undefined)));
        await database.drop();
      }
    });
  }
});
