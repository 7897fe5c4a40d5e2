import type { Knex } from 'knex';
import { dropColumns } from './support';

/**
 * Dashboard accounts: users (email + scrypt password), their server-side sessions (only a SHA-256 hash of the cookie
 * value is stored), one-time tokens (first-start setup, invitations, password resets; hashed too), the link from a
 * workspace member to a user, and the user an audit entry was made by.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.string('id', 40).primary();
    // Lower-cased; one account per address.
    t.string('email', 254).notNullable().unique();
    t.string('name', 200).notNullable();
    // null: no password yet (created from the CLI or by an invitation not yet accepted); cannot sign in.
    t.string('password_hash', 255);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('user_sessions', (t) => {
    t.string('id', 40).primary();
    t.string('token_hash', 64).notNullable().unique();
    t.string('user_id', 40).notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_seen_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.string('user_agent', 300);
    t.string('ip', 64);
    t.index(['user_id', 'id']);
  });

  await knex.schema.createTable('account_tokens', (t) => {
    t.string('id', 40).primary();
    t.string('token_hash', 64).notNullable().unique();
    // setup | invitation | password_reset
    t.string('kind', 16).notNullable();
    t.string('workspace_id', 40).references('id').inTable('workspaces').onDelete('CASCADE');
    t.string('user_id', 40).references('id').inTable('users').onDelete('CASCADE');
    t.string('email', 254);
    t.string('role', 16);
    t.string('created_by_user_id', 40);
    t.string('created_by_key_id', 40);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.bigInteger('used_at');
    t.bigInteger('revoked_at');
    t.index(['workspace_id', 'kind', 'id']);
  });

  await knex.schema.alterTable('members', (t) => {
    // No foreign key: SQLite cannot drop a column that has one (down), and users are never deleted.
    t.string('user_id', 40);
    t.index(['user_id'], 'members_user');
  });

  await knex.schema.alterTable('audit_logs', (t) => {
    t.string('actor_user_id', 40);
  });
}

export async function down(knex: Knex): Promise<void> {
  await dropColumns(knex, 'audit_logs', ['actor_user_id']);
  await knex.raw('DROP INDEX IF EXISTS members_user');
  await dropColumns(knex, 'members', ['user_id']);
  await knex.schema.dropTableIfExists('account_tokens');
  await knex.schema.dropTableIfExists('user_sessions');
  await knex.schema.dropTableIfExists('users');
}
