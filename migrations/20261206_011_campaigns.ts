import type { Knex } from 'knex';
import { dropColumns } from './support';

const LINK_COLUMNS = ['folder_id', 'campaign_id', 'utm_term', 'utm_content', 'track_conversions', 'pixel_ids'];
const LINK_INDEXES = ['links_folder_index', 'links_campaign_index'];

/** Columns every workspace-owned resource of this migration starts with. */
function owned(t: Knex.CreateTableBuilder, idLength = 40): void {
  t.string('id', idLength).primary();
  t.string('workspace_id', 40).notNullable().references('id').inTable('workspaces').onDelete('CASCADE');
  t.string('mode', 4).notNullable();
}

function utmColumns(t: Knex.CreateTableBuilder): void {
  for (const name of ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content']) t.string(name, 255);
}

function times(t: Knex.CreateTableBuilder): void {
  t.bigInteger('created_at').notNullable();
  t.bigInteger('updated_at').notNullable();
}

/**
 * Folders, campaigns, UTM templates, retargeting pixels and conversions (leads and sales attributed to clicks).
 * Links gain their folder, campaign, the two remaining UTM fields, a click-id switch and their pixels (a JSON list of
 * px_ ids, read with the link on the redirect path so a link without pixels costs no extra query). Plain ADD COLUMN
 * without foreign keys, so SQLite does not rebuild `links`; the services clear references themselves.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('folders', (t) => {
    owned(t);
    t.string('parent_id', 40);
    t.string('name', 100).notNullable();
    times(t);
    t.index(['workspace_id', 'mode', 'created_at', 'id']);
    t.index(['parent_id']);
  });
  await knex.schema.createTable('campaigns', (t) => {
    owned(t);
    t.string('name', 100).notNullable();
    t.text('description');
    t.bigInteger('starts_at');
    t.bigInteger('ends_at');
    utmColumns(t);
    times(t);
    t.index(['workspace_id', 'mode', 'created_at', 'id']);
  });
  await knex.schema.createTable('utm_templates', (t) => {
    owned(t);
    t.string('name', 100).notNullable();
    utmColumns(t);
    times(t);
    t.index(['workspace_id', 'mode', 'created_at', 'id']);
  });
  await knex.schema.createTable('pixels', (t) => {
    owned(t);
    t.string('name', 100).notNullable();
    t.string('provider', 16).notNullable();
    // The provider's pixel or tag id; for `custom`, the script URL.
    t.string('pixel_id', 100);
    t.text('script_url');
    times(t);
    t.index(['workspace_id', 'mode', 'created_at', 'id']);
  });

  // Per workspace and mode: the click-id parameter, the attribution window, the browser-safe publishable key and the
  // origins it may be used from.
  await knex.schema.createTable('conversion_settings', (t) => {
    t.string('workspace_id', 40).notNullable().references('id').inTable('workspaces').onDelete('CASCADE');
    t.string('mode', 4).notNullable();
    t.boolean('track_conversions').notNullable().defaultTo(false);
    t.string('click_id_param', 64).notNullable();
    t.integer('attribution_window_days').notNullable();
    t.text('allowed_origins').notNullable();
    t.string('publishable_key', 80);
    t.bigInteger('updated_at').notNullable();
    t.primary(['workspace_id', 'mode']);
    t.unique(['publishable_key']);
  });

  // The last click reported for each external customer id, and their latest lead: a later sale is tied to both.
  await knex.schema.createTable('conversion_customers', (t) => {
    t.string('workspace_id', 40).notNullable();
    t.string('mode', 4).notNullable();
    t.string('customer_id', 200).notNullable();
    t.string('click_id', 40);
    t.bigInteger('clicked_at');
    t.string('lead_id', 40);
    t.bigInteger('updated_at').notNullable();
    t.primary(['workspace_id', 'mode', 'customer_id']);
  });

  // No foreign keys to links or clicks: a conversion outlives both, and keeps what it was attributed to.
  await knex.schema.createTable('conversions', (t) => {
    t.string('id', 40).primary();
    t.string('workspace_id', 40).notNullable();
    t.string('mode', 4).notNullable();
    t.string('type', 8).notNullable();
    t.string('event_name', 100).notNullable();
    t.string('customer_id', 200).notNullable();
    t.string('click_id', 40);
    t.string('link_id', 40);
    t.string('campaign_id', 40);
    t.string('lead_id', 40);
    t.bigInteger('clicked_at');
    t.string('country', 2);
    t.string('device', 16);
    t.string('referrer_host', 253);
    t.bigInteger('amount');
    t.string('currency', 3);
    t.string('idempotency_key', 200);
    t.string('request_hash', 64);
    t.string('unattributed_reason', 32);
    t.text('metadata');
    t.bigInteger('created_at').notNullable();
    t.unique(['workspace_id', 'mode', 'idempotency_key']);
    t.index(['workspace_id', 'mode', 'created_at', 'id']);
    t.index(['workspace_id', 'mode', 'campaign_id', 'created_at']);
    t.index(['link_id', 'created_at']);
  });

  await knex.schema.alterTable('links', (t) => {
    t.string('folder_id', 40);
    t.string('campaign_id', 40);
    t.string('utm_term', 255);
    t.string('utm_content', 255);
    // null: the workspace's setting decides.
    t.boolean('track_conversions');
    t.text('pixel_ids');
    t.index(['folder_id'], LINK_INDEXES[0]);
    t.index(['campaign_id'], LINK_INDEXES[1]);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const index of LINK_INDEXES) await knex.raw(`DROP INDEX IF EXISTS ${index}`);
  await dropColumns(knex, 'links', LINK_COLUMNS);
  for (const table of ['conversions', 'conversion_customers', 'conversion_settings', 'pixels', 'utm_templates', 'campaigns', 'folders']) {
    await knex.schema.dropTableIfExists(table);
  }
}
