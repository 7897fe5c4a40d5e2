import type { Knex } from 'knex';
import { LinkStore, type LinkOwner } from '../store/links';
import { PLAN_COLUMNS, PlanStore, type MonthlyUsageRow, type PlanRow } from '../store/plans';
import { ApiError } from '../support/errors';
import { toIso } from '../support/time';
import type { LinkQuota } from './links/service';
import type { Mode } from './scopes';

export { PLAN_COLUMNS, type PlanRow };

/** A workspace's plan. A null limit is no limit; a null rate limit is the instance default. */
export interface Plan {
  name: string;
  maxLinks: number | null;
  maxClicksPerMonth: number | null;
  rateLimitPerKey: number | null;
}

const orNull = (value: number | string | null | undefined): number | null => (value === null || value === undefined ? null : Number(value));

export const planOf = (row: PlanRow): Plan => ({
  name: row.plan_name,
  maxLinks: orNull(row.plan_max_links),
  maxClicksPerMonth: orNull(row.plan_max_clicks_per_month),
  rateLimitPerKey: orNull(row.rate_limit),
});

export const planColumns = (plan: Plan): PlanRow => ({
  plan_name: plan.name,
  plan_max_links: plan.maxLinks,
  plan_max_clicks_per_month: plan.maxClicksPerMonth,
  rate_limit: plan.rateLimitPerKey,
});

/** The public plan object. */
export const serializePlan = (plan: Plan) => ({
  name: plan.name,
  max_links: plan.maxLinks,
  max_clicks_per_month: plan.maxClicksPerMonth,
  rate_limit_per_key: plan.rateLimitPerKey,
});

/** The UTC calendar month holding `at`: [start, end) in epoch milliseconds. */
export function monthOf(at: number): { start: number; end: number } {
  const date = new Date(at);
  return {
    start: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1),
    end: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1),
  };
}

/** What a click flush hands over (the redirect path's RecordedClick has these fields). */
export interface FlushedClick {
  workspaceId: string;
  mode: Mode;
  at: number;
  /** Neither a bot nor a HEAD request: counted in `links.clicks`, and so in the month's usage. */
  counted: boolean;
}

export interface Usage {
  mode: Mode;
  monthStart: number;
  monthEnd: number;
  links: number;
  clicksThisMonth: number;
}

export const serializeUsage = (usage: Usage, plan: Plan) => ({
  mode: usage.mode,
  period_start: toIso(usage.monthStart) as string,
  period_end: toIso(usage.monthEnd) as string,
  links: usage.links,
  links_remaining: plan.maxLinks === null ? null : Math.max(0, plan.maxLinks - usage.links),
  clicks_this_month: usage.clicksThisMonth,
  clicks_remaining: plan.maxClicksPerMonth === null ? null : Math.max(0, plan.maxClicksPerMonth - usage.clicksThisMonth),
});

/**
 * The plan's limits and the usage they are measured against. Each mode has its own allowance, as in Stripe's test
 * mode: test links and their clicks never use up the live allowance, nor live ones the test allowance.
 * - `max_links`: links existing in the mode; creating one more answers 403 `plan_limit_reached`.
 * - `max_clicks_per_month`: counted clicks in the current UTC calendar month. Redirects never stop (a visitor is never
 *   refused for the owner's plan); once the month has reached the limit, creating links answers 403
 *   `monthly_click_limit_reached` until the next month or a larger plan.
 */
export class PlanLimits implements LinkQuota {
  constructor(
    private readonly plans: PlanStore,
    private readonly links: LinkStore,
  ) {}

  /**
   * How many links `owner` may still create, read in the creating transaction. With a limit set, the workspace row is
   * locked first (FOR NO KEY UPDATE, so link inserts' foreign-key checks never wait on it), which serialises
   * concurrent creators of one workspace: a limit cannot be overshot by racing requests.
   */
  async allowance(trx: Knex.Transaction, owner: LinkOwner, at: Date): Promise<{ remaining: number; refusal: ApiError | null }> {
    const unlocked = await this.planRow(trx, owner.workspaceId, false);
    if (!unlocked || (unlocked.maxLinks === null && unlocked.maxClicksPerMonth === null)) return { remaining: Infinity, refusal: null };
    const plan = (await this.planRow(trx, owner.workspaceId, true)) as Plan;
    if (plan.maxClicksPerMonth !== null) {
      const month = monthOf(at.getTime());
      const clicks = await this.plans.clicksIn(owner, month.start, trx);
      if (clicks >= plan.maxClicksPerMonth) {
        const refusal = new ApiError(
          'monthly_click_limit_reached',
          `This workspace has had ${clicks} ${owner.mode} clicks this month, the most the "${plan.name}" plan allows (${plan.maxClicksPerMonth}). ` +
            `Short links keep redirecting; new links can be created again from ${toIso(month.end)} or with a larger plan.`,
          undefined,
          { limit: { name: 'max_clicks_per_month', max: plan.maxClicksPerMonth, used: clicks, resets_at: toIso(month.end) } },
        );
        return { remaining: 0, refusal };
      }
    }
    if (plan.maxLinks === null) return { remaining: Infinity, refusal: null };
    const links = await this.links.count(owner, trx);
    const refusal = new ApiError(
      'plan_limit_reached',
      `The "${plan.name}" plan allows ${plan.maxLinks} ${owner.mode} links and this workspace has ${links}. Delete links or choose a larger plan.`,
      undefined,
      { limit: { name: 'max_links', max: plan.maxLinks, used: links } },
    );
    return { remaining: Math.max(0, plan.maxLinks - links), refusal };
  }

  /** The owner's links and this month's counted clicks. */
  async usage(owner: LinkOwner, at: Date): Promise<Usage> {
    const month = monthOf(at.getTime());
    return {
      mode: owner.mode,
      monthStart: month.start,
      monthEnd: month.end,
      links: await this.links.count(owner),
      clicksThisMonth: await this.plans.clicksIn(owner, month.start),
    };
  }

  /**
   * Adds flushed clicks to their month's usage, inside the flush transaction (register it on the click recorder's
   * publish point). Rows are written in key order so concurrent flushes of several processes never deadlock.
   */
  readonly recordClicks = async (trx: Knex.Transaction, clicks: readonly FlushedClick[]): Promise<void> => {
    const totals = new Map<string, MonthlyUsageRow>();
    let month = { start: 0, end: 0 };
    for (const click of clicks) {
      if (!click.counted) continue;
      if (click.at < month.start || click.at >= month.end) month = monthOf(click.at);
      const key = `${click.workspaceId}\n${click.mode}\n${month.start}`;
      const total = totals.get(key);
      if (total) total.clicks++;
      else totals.set(key, { workspace_id: click.workspaceId, mode: click.mode, month_start: month.start, clicks: 1 });
    }
    if (totals.size === 0) return;
    const rows = [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
    await this.plans.addClicks(trx, rows);
  };

  private async planRow(trx: Knex.Transaction, workspaceId: string, lock: boolean): Promise<Plan | null> {
    const row = await this.plans.find(workspaceId, lock, trx);
    return row ? planOf(row) : null;
  }
}
