import type { Knex } from 'knex';
import { dialectOf } from '../engine/store/db';

/** Counters of one rollup row: the hour's totals, then the same split into its four quarter hours (00, 15, 30, 45). */
function counters(t: Knex.CreateTableBuilder): void {
  t.bigInteger('clicks').notNullable();
  t.bigInteger('uniques').notNullable();
  for (let q = 0; q < 4; q++) {
    t.integer(`c${q}`).notNullable();
    t.integer(`u${q}`).notNullable();
  }
}

/**
 * Creates a table whose rows live in its primary key: on SQLite `WITHOUT ROWID`, so a range of the key is read in
 * order with its counters and no lookup per row; on Postgres an ordinary table with its primary-key index.
 */
async function createClustered(knex: Knex, name: string, build: (t: Knex.CreateTableBuilder) => void): Promise<void> {
  if (dialectOf(knex) === 'postgres') {
    await knex.schema.createTable(name, build);
    return;
  }
  const [create, ...rest] = knex.schema.createTable(name, build).toSQL();
  await knex.raw(`${create.sql} WITHOUT ROWID`, create.bindings as Knex.RawBinding[]);
  for (const statement of rest) await knex.raw(statement.sql, statement.bindings as Knex.RawBinding[]);
}

/**
 * Click analytics, written by the click flusher in the transaction that stores the clicks (engine/analytics/rollups.ts).
 *
 * - `link_click_rollups`: per link, UTC hour, dimension (`all`, `referrer`, `country`, `device`, `browser`, `os`) and
 *   value, bots (and HEAD requests) apart from people.
 * - `workspace_click_rollups`: the same per workspace, mode and domain, plus the `link` dimension, so workspace-wide
 *   answers never read one row per link.
 * - `click_visitors`: the first click of a visitor on a link on a UTC day; its insert adds 1 to `uniques`. Kept only
 *   for the days still being written (the visitor hash rotates daily).
 *
 * `value` is '' for unknown (no referrer, unknown country…); `bot` is 0 or 1 on both dialects.
 */
export async function up(knex: Knex): Promise<void> {
  await createClustered(knex, 'link_click_rollups', (t) => {
    t.string('link_id', 40).notNullable();
    t.string('dimension', 8).notNullable();
    t.bigInteger('bucket_start').notNullable();
    t.string('value', 253).notNullable();
    t.smallint('bot').notNullable();
    t.string('workspace_id', 40).notNullable();
    t.string('mode', 4).notNullable();
    counters(t);
    t.primary(['link_id', 'dimension', 'bucket_start', 'value', 'bot']);
  });
  await createClustered(knex, 'workspace_click_rollups', (t) => {
    t.string('workspace_id', 40).notNullable();
    t.string('mode', 4).notNullable();
    t.string('dimension', 8).notNullable();
    t.bigInteger('bucket_start').notNullable();
    t.string('domain', 253).notNullable();
    t.string('value', 253).notNullable();
    t.smallint('bot').notNullable();
    counters(t);
    t.primary(['workspace_id', 'mode', 'dimension', 'bucket_start', 'domain', 'value', 'bot']);
  });
  await createClustered(knex, 'click_visitors', (t) => {
    // Days since 1970-01-01 UTC; the first 16 hex digits of the visitor hash (64 bits) are plenty within one link-day.
    t.integer('day').notNullable();
    t.string('link_id', 40).notNullable();
    t.string('visitor', 16).notNullable();
    t.smallint('bot').notNullable();
    t.primary(['day', 'link_id', 'visitor', 'bot']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['click_visitors', 'workspace_click_rollups', 'link_click_rollups']) await knex.schema.dropTableIfExists(table);
}
