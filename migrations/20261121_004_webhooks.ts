import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_endpoints', (t) => {
    t.string('id', 40).primary();
    t.string('workspace_id', 40).notNullable().references('id').inTable('workspaces').onDelete('CASCADE');
    t.string('mode', 4).notNullable();
    t.text('url').notNullable();
    t.string('description', 500);
    // JSON array of event types, or ["*"] for every type.
    t.text('events').notNullable();
    t.boolean('enabled').notNullable().defaultTo(true);
    // Kept as is: signing needs the secret itself, so it cannot be hashed. Never logged, never listed.
    t.text('secret').notNullable();
    t.text('previous_secret');
    t.bigInteger('previous_secret_expires_at');
    t.string('disabled_reason', 32);
    t.bigInteger('disabled_at');
    // Start of the current run of failed attempts; null after any success.
    t.bigInteger('failing_since');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['workspace_id', 'mode', 'id']);
  });

  // One row per attempt: the planner writes attempt 1 as pending; each failed attempt schedules the next as a new row.
  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.string('id', 40).primary();
    t.string('workspace_id', 40).notNullable();
    t.string('mode', 4).notNullable();
    t.string('endpoint_id', 40).notNullable().references('id').inTable('webhook_endpoints').onDelete('CASCADE');
    t.string('message_id', 40).notNullable();
    t.string('event_type', 64).notNullable();
    t.integer('attempt').notNullable();
    t.string('trigger', 8).notNullable();
    t.string('replay_of', 40);
    t.string('status', 10).notNullable();
    // When a dispatcher may claim it: the scheduled time, then the end of the claiming worker's lease.
    t.bigInteger('available_at').notNullable();
    t.bigInteger('scheduled_at').notNullable();
    t.bigInteger('attempted_at');
    t.integer('duration_ms');
    t.integer('status_code');
    t.text('response_body');
    t.text('error');
    t.bigInteger('next_attempt_at');
    t.bigInteger('created_at').notNullable();
    t.index(['endpoint_id', 'id']);
    t.index(['endpoint_id', 'status', 'id']);
    t.index(['endpoint_id', 'message_id']);
    t.index(['available_at'], 'webhook_deliveries_due', { predicate: knex.whereRaw("status = 'pending'") });
  });

  // Leader leases, so only one polling dispatcher works a SQLite database at a time.
  await knex.schema.createTable('webhook_locks', (t) => {
    t.string('name', 64).primary();
    t.string('holder', 64).notNullable();
    t.bigInteger('expires_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['webhook_locks', 'webhook_deliveries', 'webhook_endpoints']) await knex.schema.dropTableIfExists(table);
}
