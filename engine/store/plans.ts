import type { Knex } from 'knex';
import type { LinkOwner, Mode } from './links';

/** The plan columns of `workspaces`. */
export interface PlanRow {
  plan_name: string;
  plan_max_links: number | null;
  plan_max_clicks_per_month: number | string | null;
  /** Migration 005's per-workspace rate limit, read by the API guard (engine/ratelimit/key-limits.ts). */
  rate_limit: number | null;
}

export const PLAN_COLUMNS = ['plan_name', 'plan_max_links', 'plan_max_clicks_per_month', 'rate_limit'] as const;

/** A row of `workspace_monthly_usage`: counted clicks of one workspace, mode and UTC month. */
export interface MonthlyUsageRow {
  workspace_id: string;
  mode: Mode;
  month_start: number;
  clicks: number;
}

/** The SQL of plans (columns of `workspaces`) and of monthly usage. */
export class PlanStore {
  constructor(private readonly db: Knex) {}

  /** The plan columns of a workspace; with `lock`, locked FOR NO KEY UPDATE (link inserts' foreign-key checks never wait on it). */
  async find(workspaceId: string, lock: boolean, db: Knex = this.db): Promise<PlanRow | undefined> {
    const query = db('workspaces').where({ id: workspaceId }).select([...PLAN_COLUMNS]);
    return (lock ? query.forNoKeyUpdate() : query).first();
  }

  async clicksIn(owner: LinkOwner, monthStart: number, db: Knex = this.db): Promise<number> {
    const row = await db('workspace_monthly_usage').where({ workspace_id: owner.workspaceId, mode: owner.mode, month_start: monthStart }).first('clicks');
    return Number(row?.clicks ?? 0);
  }

  /** Adds `rows` to their months' counts, in the given order. */
  async addClicks(trx: Knex.Transaction, rows: MonthlyUsageRow[]): Promise<void> {
    await trx('workspace_monthly_usage')
      .insert(rows)
      .onConflict(['workspace_id', 'mode', 'month_start'])
      .merge({ clicks: trx.raw('?? + ??', ['workspace_monthly_usage.clicks', 'excluded.clicks']) });
  }
}
