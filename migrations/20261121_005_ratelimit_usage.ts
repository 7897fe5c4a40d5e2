import type { Knex } from 'knex';
import { dropColumns } from './support';

// Latency histogram columns `latency_0` … `latency_13`; their bucket bounds live in engine/usage/histogram.ts.
const LATENCY_COLUMNS = 14;

export async function up(knex: Knex): Promise<void> {
  // Requests per minute; null: the workspace's limit, then the instance default.
  await knex.schema.alterTable('api_keys', (t) => {
    t.integer('rate_limit');
  });
  await knex.schema.alterTable('workspaces', (t) => {
    t.integer('rate_limit');
  });

  // Buffered API usage counters, merged by upsert. One row per time bucket (minute or hour), key, endpoint and status;
  // latency is a fixed histogram, so percentiles can be estimated after summing rows across processes and buckets.
  await knex.schema.createTable('api_usage', (t) => {
    t.string('workspace_id', 40).notNullable();
    t.string('mode', 4).notNullable();
    t.integer('bucket_ms').notNullable();
    t.bigInteger('bucket_start').notNullable();
    t.string('key_id', 40).notNullable();
    t.string('method', 7).notNullable();
    t.string('route', 200).notNullable();
    t.integer('status').notNullable();
    t.bigInteger('requests').notNullable();
    t.double('duration_ms_sum').notNullable();
    for (let i = 0; i < LATENCY_COLUMNS; i++) t.bigInteger(`latency_${i}`).notNullable().defaultTo(0);
    t.primary(['workspace_id', 'mode', 'bucket_ms', 'bucket_start', 'key_id', 'method', 'route', 'status']);
    t.index(['bucket_ms', 'bucket_start']);
  });

  await knex.schema.alterTable('audit_logs', (t) => {
    t.index(['workspace_id', 'mode', 'created_at', 'id'], 'audit_logs_listing');
    t.index(['workspace_id', 'mode', 'resource_id'], 'audit_logs_resource');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_logs', (t) => {
    t.dropIndex([], 'audit_logs_resource');
    t.dropIndex([], 'audit_logs_listing');
  });
  await knex.schema.dropTableIfExists('api_usage');
  await dropColumns(knex, 'workspaces', ['rate_limit']);
  await dropColumns(knex, 'api_keys', ['rate_limit']);
}
