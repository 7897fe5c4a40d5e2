import type { Knex } from 'knex';

// One row per redirect. No foreign key to links: a click buffered just before its link is deleted must still flush,
// and deleting a link must not have to wait on millions of click rows.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('clicks', (t) => {
    t.string('id', 40).primary();
    t.string('link_id', 40).notNullable();
    t.string('workspace_id', 40).notNullable();
    t.string('mode', 4).notNullable();
    t.bigInteger('created_at').notNullable();
    t.string('referrer', 500);
    t.string('referrer_host', 253);
    t.string('country', 2);
    t.string('device', 16).notNullable();
    t.string('browser', 64);
    t.string('os', 64);
    t.boolean('is_bot').notNullable().defaultTo(false);
    t.boolean('is_head').notNullable().defaultTo(false);
    // SHA-256 of a daily salt, the client address and its user agent: unique visitors per day, never the address.
    t.string('visitor_hash', 64).notNullable();
    t.index(['link_id', 'created_at']);
    t.index(['workspace_id', 'mode', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('clicks');
}
