import type { Knex } from 'knex';
import { dropColumns } from './support';

/**
 * Guest links and key IP allow-lists: `links.guest` marks links made through the keyless guest endpoint (the periodic
 * sweeper deletes only those), and `api_keys.allowed_ips` holds a key's allowed addresses and CIDR ranges (a JSON
 * array; null: any address).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('links', (t) => {
    t.boolean('guest').notNullable().defaultTo(false);
    t.index(['guest', 'created_at'], 'links_guest_created');
  });
  await knex.schema.alterTable('api_keys', (t) => {
    t.text('allowed_ips');
  });
}

export async function down(knex: Knex): Promise<void> {
  await dropColumns(knex, 'api_keys', ['allowed_ips']);
  await knex.raw('DROP INDEX IF EXISTS links_guest_created');
  await dropColumns(knex, 'links', ['guest']);
}
