import type { Knex } from 'knex';
import { dialectOf } from '../engine/store/db';

/**
 * Bio pages and their ordered items. Every item points at a link, so a click on it runs through the redirect path
 * like any other: a link item at a link of the workspace, a URL item at a link the page manages (`links.page_id`),
 * which the Links API does not list and the page removes with the item.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('pages', (t) => {
    t.string('id', 40).primary();
    t.string('workspace_id', 40).notNullable().references('id').inTable('workspaces').onDelete('CASCADE');
    t.string('mode', 4).notNullable();
    t.string('domain', 253).notNullable();
    t.string('handle', 64).notNullable();
    t.string('title', 100);
    t.text('description');
    t.text('avatar_url');
    t.string('theme', 16).notNullable();
    t.boolean('published').notNullable().defaultTo(false);
    t.bigInteger('published_at');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.unique(['domain', 'handle']);
    t.index(['workspace_id', 'mode', 'created_at', 'id']);
  });

  // A deleted link leaves every page that listed it (ON DELETE CASCADE).
  await knex.schema.createTable('page_items', (t) => {
    t.string('page_id', 40).notNullable().references('id').inTable('pages').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.string('label', 100).notNullable();
    t.string('link_id', 40).notNullable().references('id').inTable('links').onDelete('CASCADE');
    t.primary(['page_id', 'position']);
    t.index(['link_id']);
  });

  // Plain ADD COLUMN (no foreign key) so SQLite does not rebuild `links`; the page service deletes managed links itself.
  await knex.schema.alterTable('links', (t) => {
    t.string('page_id', 40);
    t.index(['page_id'], 'links_page_id_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('page_items');
  // Managed links exist only for their pages.
  await knex('links').whereNotNull('page_id').del();
  await knex.schema.dropTableIfExists('pages');
  if (dialectOf(knex) === 'sqlite') await knex.raw('DROP INDEX IF EXISTS links_page_id_index');
  await knex.raw('ALTER TABLE links DROP COLUMN page_id');
}
