import type { Knex } from 'knex';

// Times are epoch milliseconds (bigint) on both dialects: exact comparisons, one code path, keyset-friendly.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('engine_settings', (t) => {
    t.string('key', 64).primary();
    t.text('value').notNullable();
  });

  await knex.schema.createTable('workspaces', (t) => {
    t.string('id', 40).primary();
    t.string('name', 200).notNullable();
    // null: the instance's default domain, which every workspace shares.
    t.string('default_domain', 253);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  // Custom domains; each belongs to exactly one workspace.
  await knex.schema.createTable('domains', (t) => {
    t.string('id', 40).primary();
    t.string('workspace_id', 40).notNullable().references('id').inTable('workspaces').onDelete('CASCADE');
    t.string('hostname', 253).notNullable().unique();
    t.boolean('secure').notNullable().defaultTo(true);
    t.boolean('is_default').notNullable().defaultTo(false);
    t.bigInteger('created_at').notNullable();
    t.index(['workspace_id']);
  });

  await knex.schema.createTable('api_keys', (t) => {
    t.string('id', 40).primary();
    t.string('workspace_id', 40).notNullable().references('id').inTable('workspaces').onDelete('CASCADE');
    t.string('name', 200).notNullable();
    t.string('mode', 4).notNullable();
    t.string('key_hash', 64).notNullable().unique();
    t.string('prefix', 16).notNullable();
    t.string('last4', 4).notNullable();
    t.text('scopes').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_used_at');
    t.bigInteger('expires_at');
    t.bigInteger('revoked_at');
    t.string('rotated_to', 40);
    t.index(['workspace_id', 'created_at', 'id']);
  });

  await knex.schema.createTable('audit_logs', (t) => {
    t.string('id', 40).primary();
    t.string('workspace_id', 40).notNullable();
    t.string('mode', 4).notNullable();
    t.string('actor_key_id', 40);
    t.string('actor_type', 16).notNullable();
    t.string('action', 64).notNullable();
    t.string('resource_type', 32).notNullable();
    t.string('resource_id', 40);
    t.string('request_id', 40);
    t.text('changes');
    t.bigInteger('created_at').notNullable();
    t.index(['workspace_id', 'created_at', 'id']);
  });

  // Transactional outbox: written in the same transaction as the change that caused the event.
  await knex.schema.createTable('events', (t) => {
    t.string('id', 40).primary();
    t.string('workspace_id', 40).notNullable();
    t.string('mode', 4).notNullable();
    t.string('type', 64).notNullable();
    t.text('payload').notNullable();
    t.bigInteger('created_at').notNullable();
    t.index(['workspace_id', 'created_at', 'id']);
  });

  await knex.schema.createTable('links', (t) => {
    t.string('id', 40).primary();
    t.string('workspace_id', 40).notNullable().references('id').inTable('workspaces').onDelete('CASCADE');
    t.string('mode', 4).notNullable();
    t.string('domain', 253).notNullable();
    t.string('slug', 64).notNullable();
    t.text('url').notNullable();
    t.string('title', 500);
    t.text('notes');
    t.text('tags').notNullable().defaultTo('[]');
    t.string('utm_source', 255);
    t.string('utm_medium', 255);
    t.string('utm_campaign', 255);
    t.text('ios_target');
    t.text('android_target');
    t.bigInteger('starts_at');
    t.bigInteger('expires_at');
    t.integer('max_clicks');
    t.text('password_hash');
    t.integer('password_version').notNullable().defaultTo(0);
    t.bigInteger('clicks').notNullable().defaultTo(0);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.unique(['domain', 'slug']);
    t.index(['workspace_id', 'mode', 'created_at', 'id']);
    t.index(['workspace_id', 'mode', 'updated_at', 'id']);
    t.index(['workspace_id', 'mode', 'clicks', 'id']);
  });

  // One row per (link, tag) so tag filters use an index instead of scanning JSON.
  await knex.schema.createTable('link_tags', (t) => {
    t.string('link_id', 40).notNullable().references('id').inTable('links').onDelete('CASCADE');
    t.string('workspace_id', 40).notNullable();
    t.string('mode', 4).notNullable();
    t.string('tag', 50).notNullable();
    t.primary(['link_id', 'tag']);
    t.index(['workspace_id', 'mode', 'tag']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['link_tags', 'links', 'events', 'audit_logs', 'api_keys', 'domains', 'workspaces', 'engine_settings']) {
    await knex.schema.dropTableIfExists(table);
  }
}
