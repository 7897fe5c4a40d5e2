import type { Knex } from 'knex';

/**
 * Raw clicks become append-only rows on their primary key alone: analytics read the rollups, and the export and
 * retention read by id range (click ids start with their time). Each secondary index cost every click an extra b-tree
 * write, about 8% of a redirect's CPU under load (`npm run bench redirect`), for queries that no longer need it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('clicks', (t) => {
    t.dropIndex(['link_id', 'created_at']);
    t.dropIndex(['workspace_id', 'mode', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('clicks', (t) => {
    t.index(['link_id', 'created_at']);
    t.index(['workspace_id', 'mode', 'created_at']);
  });
}
