import type { Knex } from 'knex';
import { dropColumns } from './support';

const ONE_DEFAULT = 'domains_one_default_per_workspace';
const PLAN_COLUMNS = ['plan_name', 'plan_max_links', 'plan_max_clicks_per_month'];

/**
 * Custom domains (one default per workspace), team members, and the workspace plan with its monthly click usage.
 */
export async function up(knex: Knex): Promise<void> {
  // `workspaces.default_domain` is the truth; `domains.is_default` mirrors it, and at most one row per workspace may
  // carry it.
  await knex('domains').update({ is_default: false });
  await knex('domains')
    .whereExists((q) => q.select(knex.raw('1')).from('workspaces').whereRaw('workspaces.id = domains.workspace_id AND workspaces.default_domain = domains.hostname'))
    .update({ is_default: true });
  await knex.raw(`CREATE UNIQUE INDEX ${ONE_DEFAULT} ON domains (workspace_id) WHERE is_default`);

  // Records for ownership and audit, not logins: no passwords. Emails are stored lower-cased.
  await knex.schema.createTable('members', (t) => {
    t.string('id', 40).primary();
    t.string('workspace_id', 40).notNullable().references('id').inTable('workspaces').onDelete('CASCADE');
    t.string('name', 200).notNullable();
    t.string('email', 254).notNullable();
    t.string('role', 16).notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.unique(['workspace_id', 'email']);
    t.index(['workspace_id', 'id']);
  });

  // The plan; a null limit is no limit. Its rate limit per key is `workspaces.rate_limit` (migration 005).
  await knex.schema.alterTable('workspaces', (t) => {
    t.string('plan_name', 64).notNullable().defaultTo('default');
    t.integer('plan_max_links');
    t.bigInteger('plan_max_clicks_per_month');
  });

  // Counted clicks per workspace, mode and UTC calendar month, added up by the click flush in its own transaction, so
  // the monthly limit is one row read however many clicks there are. No foreign key: a click flushed after its
  // workspace is deleted must not fail the batch it is in.
  await knex.schema.createTable('workspace_monthly_usage', (t) => {
    t.string('workspace_id', 40).notNullable();
    t.string('mode', 4).notNullable();
    t.bigInteger('month_start').notNullable();
    t.bigInteger('clicks').notNullable().defaultTo(0);
    t.primary(['workspace_id', 'mode', 'month_start']);
  });
  // Clicks recorded before this migration still count toward the current month.
  if (await knex.schema.hasTable('clicks')) {
    const now = new Date();
    const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    const counted: Array<{ workspace_id: string; mode: string; clicks: number | string }> = await knex('clicks')
      .where('created_at', '>=', monthStart)
      .where({ is_bot: false, is_head: false })
      .groupBy('workspace_id', 'mode')
      .select('workspace_id', 'mode', knex.raw('COUNT(*) AS clicks'));
    const rows = counted.map((row) => ({ workspace_id: row.workspace_id, mode: row.mode, month_start: monthStart, clicks: Number(row.clicks) }));
    for (let i = 0; i < rows.length; i += 200) await knex('workspace_monthly_usage').insert(rows.slice(i, i + 200));
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('workspace_monthly_usage');
  await dropColumns(knex, 'workspaces', [...PLAN_COLUMNS].reverse());
  await knex.schema.dropTableIfExists('members');
  await knex.raw(`DROP INDEX IF EXISTS ${ONE_DEFAULT}`);
}
