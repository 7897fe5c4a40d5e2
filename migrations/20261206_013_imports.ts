import type { Knex } from 'knex';
import { dropColumns } from './support';

/**
 * Upserts, imports and exports: a link's `external_id` (unique per workspace and mode) and the click total it brought
 * from another shortener (`imported_clicks`, a baseline, never fake click rows); import jobs with the uploaded file,
 * a persisted row cursor and per-row errors; which source rows became which link (re-imports create no duplicates);
 * export jobs with their finished file.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('links', (t) => {
    t.string('external_id', 255);
    t.bigInteger('imported_clicks').notNullable().defaultTo(0);
    // NULLs are distinct on both dialects, so links without an external id never collide.
    t.unique(['workspace_id', 'mode', 'external_id'], { indexName: 'links_external_id' });
  });

  await knex.schema.createTable('imports', (t) => {
    t.string('id', 40).primary();
    t.string('workspace_id', 40).notNullable().references('id').inTable('workspaces').onDelete('CASCADE');
    t.string('mode', 4).notNullable();
    t.string('source', 16).notNullable();
    // queued | running | completed | failed
    t.string('status', 12).notNullable();
    t.text('options').notNullable();
    t.string('file_name', 255);
    t.binary('file').notNullable();
    t.bigInteger('file_size').notNullable();
    t.integer('total_rows').notNullable();
    // The cursor: rows before it are committed (created, skipped or failed), together with this count.
    t.integer('processed_rows').notNullable().defaultTo(0);
    t.integer('created_count').notNullable().defaultTo(0);
    t.integer('skipped_count').notNullable().defaultTo(0);
    t.integer('failed_count').notNullable().defaultTo(0);
    t.text('failure');
    t.string('actor_key_id', 40);
    t.string('actor_user_id', 40);
    t.string('request_id', 40);
    // A runner holds the job until then and renews it while working; a job whose holder died is taken over after it.
    t.bigInteger('lease_until').notNullable().defaultTo(0);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.bigInteger('finished_at');
    t.index(['workspace_id', 'mode', 'id']);
    t.index(['status', 'lease_until']);
  });

  await knex.schema.createTable('import_errors', (t) => {
    t.string('import_id', 40).notNullable().references('id').inTable('imports').onDelete('CASCADE');
    t.integer('row').notNullable();
    t.text('error').notNullable();
    t.primary(['import_id', 'row']);
  });

  await knex.schema.createTable('link_imports', (t) => {
    t.string('workspace_id', 40).notNullable();
    t.string('mode', 4).notNullable();
    t.string('source', 16).notNullable();
    // SHA-256 (hex) of the row's identity in its source: its original id, or its domain and slug.
    t.string('source_key', 64).notNullable();
    t.string('link_id', 40).notNullable().references('id').inTable('links').onDelete('CASCADE');
    t.primary(['workspace_id', 'mode', 'source', 'source_key']);
    t.index(['link_id']);
  });

  await knex.schema.createTable('exports', (t) => {
    t.string('id', 40).primary();
    t.string('workspace_id', 40).notNullable().references('id').inTable('workspaces').onDelete('CASCADE');
    t.string('mode', 4).notNullable();
    t.string('format', 8).notNullable();
    // queued | running | completed | failed
    t.string('status', 12).notNullable();
    t.binary('file');
    t.integer('row_count').notNullable().defaultTo(0);
    t.text('failure');
    t.bigInteger('lease_until').notNullable().defaultTo(0);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('finished_at');
    t.index(['workspace_id', 'mode', 'id']);
    t.index(['status', 'lease_until']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['exports', 'link_imports', 'import_errors', 'imports']) await knex.schema.dropTableIfExists(table);
  await knex.schema.alterTable('links', (t) => t.dropUnique(['workspace_id', 'mode', 'external_id'], 'links_external_id'));
  await dropColumns(knex, 'links', ['external_id', 'imported_clicks']);
}
