import type { Knex } from 'knex';

/**
 * Smart routing (issue 21):
 *
 * - `link_rules`: a link's routing rules in `position` order (0 first); `conditions` and `variants` are JSON. Deleted
 *   with their link.
 * - `links.variants` (JSON: weighted A/B destinations) and `links.preview` (JSON: the social preview's title,
 *   description and image).
 * - `clicks.rule_id` and `clicks.variant`: which rule and variant served a click (null: none).
 * - `domain_deep_links`: a custom domain's `/.well-known/apple-app-site-association` and `/.well-known/assetlinks.json`
 *   documents, as JSON text; deleted with their domain.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('link_rules', (t) => {
    t.string('id', 40).primary();
    t.string('link_id', 40).notNullable().references('id').inTable('links').onDelete('CASCADE');
    t.string('workspace_id', 40).notNullable();
    t.string('mode', 4).notNullable();
    t.integer('position').notNullable();
    t.text('conditions').notNullable();
    t.text('url').notNullable();
    t.text('variants');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['link_id', 'position']);
  });
  await knex.schema.alterTable('links', (t) => {
    t.text('variants');
    t.text('preview');
  });
  await knex.schema.alterTable('clicks', (t) => {
    t.string('rule_id', 40);
    t.text('variant');
  });
  await knex.schema.createTable('domain_deep_links', (t) => {
    t.string('domain_id', 40).primary().references('id').inTable('domains').onDelete('CASCADE');
    t.text('apple_app_site_association');
    t.text('assetlinks');
    t.bigInteger('updated_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('domain_deep_links');
  await knex.schema.alterTable('clicks', (t) => {
    t.dropColumn('variant');
    t.dropColumn('rule_id');
  });
  await knex.schema.alterTable('links', (t) => {
    t.dropColumn('preview');
    t.dropColumn('variants');
  });
  await knex.schema.dropTableIfExists('link_rules');
}
