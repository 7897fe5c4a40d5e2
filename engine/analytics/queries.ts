import type { AnalyticsStore, RollupRange, RollupSelection } from '../store/analytics';
import type { LinkOwner, LinkStore } from '../store/links';
import { notFound } from '../support/errors';
import { HOUR_MS, QUARTER_MS } from './zone';
import type { Dimension } from './rollups';

export type GroupBy = 'timeseries' | Exclude<Dimension, 'all'>;

export interface ClickFilters {
  linkId?: string;
  tag?: string;
  campaignId?: string;
  domain?: string;
  includeBots: boolean;
}

export interface Counts {
  clicks: number;
  unique_visitors: number;
}

export interface Report {
  totals: Counts;
  data: Array<({ start: number } | { value: string | null }) & Counts>;
}

const zero = (): Counts => ({ clicks: 0, unique_visitors: 0 });

/** The hourly rows [start, end) reads: from the hour holding `start`; the hours cut by `start` or `end` by their quarters. */
function rangeOf(start: number, end: number): RollupRange {
  const partial: Array<{ hour: number; quarters: number[] }> = [];
  const firstHour = Math.floor(start / HOUR_MS) * HOUR_MS;
  if (firstHour < start) partial.push({ hour: firstHour, quarters: [0, 1, 2, 3].filter((q) => firstHour + q * QUARTER_MS >= start) });
  const lastHour = Math.floor(end / HOUR_MS) * HOUR_MS;
  if (lastHour < end) partial.push({ hour: lastHour, quarters: [0, 1, 2, 3].filter((q) => lastHour + q * QUARTER_MS < end) });
  return { fromHour: firstHour, end, partial };
}

/**
 * Reports from the rollups (see RollupWriter): their cost follows the number of hours (and group values) in the range,
 * never the number of clicks. Workspace-wide questions read the workspace rollup; a link or a tag reads per-link rows.
 */
export class AnalyticsQueries {
  constructor(
    private readonly store: AnalyticsStore,
    private readonly links: LinkStore,
  ) {}

  /** The rollup rows `filters` select; null when they select nothing (e.g. a link on another domain). */
  private async selection(owner: LinkOwner, filters: ClickFilters): Promise<RollupSelection | null> {
    const { includeBots } = filters;
    if (filters.linkId) {
      const link = await this.links.locate(owner, filters.linkId);
      if (!link) throw notFound('Link');
      if (filters.domain && link.domain !== filters.domain) return null;
      if (filters.tag && !(await this.links.hasTag(link.id, filters.tag))) return null;
      return { owner, includeBots, linkId: link.id };
    }
    if (filters.tag) return { owner, includeBots, tag: filters.tag, domain: filters.domain };
    if (filters.campaignId) return { owner, includeBots, campaignId: filters.campaignId, domain: filters.domain };
    return { owner, includeBots, domain: filters.domain };
  }

  /** Counts per bucket between consecutive `bounds` (all of them, empty ones with zeros), and their totals. */
  async timeseries(owner: LinkOwner, filters: ClickFilters, bounds: number[]): Promise<Report> {
    const series = bounds.slice(0, -1).map((start) => ({ start, ...zero() }));
    const selection = await this.selection(owner, filters);
    const start = bounds[0];
    const end = bounds[bounds.length - 1];
    if (selection) {
      const rows = await this.store.hourlySums(selection, Math.floor(start / HOUR_MS) * HOUR_MS, end);
      const bucketOf = (at: number) => {
        // The last bound at or before `at`, by binary search.
        let low = 0;
        let high = bounds.length - 1;
        while (high - low > 1) {
          const middle = (low + high) >> 1;
          if (bounds[middle] <= at) low = middle;
          else high = middle;
        }
        return low;
      };
      for (const row of rows) {
        const hour = row.hour;
        const index = bucketOf(hour);
        if (hour >= start && hour + HOUR_MS <= bounds[index + 1]) {
          series[index].clicks += row.clicks;
          series[index].unique_visitors += row.uniques;
          continue;
        }
        // An hour cut by a bucket boundary (zones 30 or 45 minutes off UTC, and the range's ends): quarter by quarter.
        for (let q = 0; q < 4; q++) {
          const at = hour + q * QUARTER_MS;
          if (at < start || at >= end) continue;
          const bucket = series[bucketOf(at)];
          bucket.clicks += row.quarterClicks[q];
          bucket.unique_visitors += row.quarterUniques[q];
        }
      }
    }
    const totals = series.reduce((sum, point) => ({ clicks: sum.clicks + point.clicks, unique_visitors: sum.unique_visitors + point.unique_visitors }), zero());
    return { totals, data: series };
  }

  /** The top `limit` values of a dimension over [start, end), by clicks, then value; and the totals of the range. */
  async breakdown(owner: LinkOwner, filters: ClickFilters, groupBy: Exclude<GroupBy, 'timeseries'>, start: number, end: number, limit: number): Promise<Report> {
    const selection = await this.selection(owner, filters);
    if (!selection) return { totals: zero(), data: [] };
    const { known, knownClicks, knownUniques, totals } = await this.store.breakdown(selection, groupBy, rangeOf(start, end), limit);
    const groups: Array<{ value: string | null } & Counts> = known.map((row) => ({ value: row.value, clicks: row.clicks, unique_visitors: row.uniques }));
    // No rows are kept for unknown values (direct traffic, no country…): each click and unique counts once in `all`
    // and once under one value of each dimension, so the unknown group is what the known values leave of `all`.
    const all: Counts = { clicks: totals.clicks, unique_visitors: totals.uniques };
    const unknown = { value: null, clicks: all.clicks - knownClicks, unique_visitors: all.unique_visitors - knownUniques };
    if (unknown.clicks > 0) {
      const at = groups.findIndex((group) => group.clicks <= unknown.clicks);
      groups.splice(at < 0 ? groups.length : at, 0, unknown);
    }
    return { totals: all, data: groups.slice(0, limit) };
  }
}
