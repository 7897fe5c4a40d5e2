import type { AnalyticsQueries, ClickFilters, Counts, GroupBy } from '../../analytics/queries';
import type { ConversionGroup, ConversionSelection, ConversionStore, ConversionSum } from '../../store/conversions';
import type { LinkOwner } from '../../store/links';

const HOUR_MS = 3_600_000;

/** Conversions of a group: leads, sales and revenue per currency (minor units). */
export interface ConversionCounts {
  leads: number;
  sales: number;
  revenue: Record<string, number>;
}

export type FullCounts = Counts & ConversionCounts;

export interface ConversionReport {
  totals: FullCounts;
  data: Array<({ start: number } | { value: string | null }) & FullCounts>;
}

export type ConversionGroupBy = GroupBy | 'campaign';

const noConversions = (): ConversionCounts => ({ leads: 0, sales: 0, revenue: {} });

function add(target: ConversionCounts, sum: ConversionSum): void {
  if (sum.type === 'lead') target.leads += sum.count;
  else {
    target.sales += sum.count;
    if (sum.currency) target.revenue[sum.currency] = (target.revenue[sum.currency] ?? 0) + sum.amount;
  }
}

const totalOf = (sums: ConversionSum[]): ConversionCounts => {
  const total = noConversions();
  for (const sum of sums) add(total, sum);
  return total;
};

/**
 * Clicks and conversions side by side: clicks from the click rollups (AnalyticsQueries), leads, sales and revenue
 * from the conversions, grouped the same way (conversions carry the country, device and referrer of their click, and
 * the link and campaign they were attributed to).
 */
export class ConversionAnalytics {
  constructor(
    private readonly clicks: AnalyticsQueries,
    private readonly store: ConversionStore,
  ) {}

  private selectionOf(filters: ClickFilters): ConversionSelection {
    return { linkId: filters.linkId, campaignId: filters.campaignId, domain: filters.domain };
  }

  async timeseries(owner: LinkOwner, filters: ClickFilters, bounds: number[]): Promise<ConversionReport> {
    const [clicks, sums] = await Promise.all([
      this.clicks.timeseries(owner, filters, bounds),
      this.store.hourly(owner, this.selectionOf(filters), bounds[0], bounds[bounds.length - 1]),
    ]);
    const data = clicks.data.map((point) => ({ ...point, ...noConversions() }));
    for (const sum of sums) {
      const at = Number(sum.key);
      // The last bucket starting at or before the hour (conversions are grouped by whole UTC hours).
      let index = data.length - 1;
      while (index > 0 && (data[index] as { start: number }).start > at) index--;
      add(data[index], sum);
    }
    return { totals: { ...clicks.totals, ...totalOf(sums) }, data };
  }

  async breakdown(owner: LinkOwner, filters: ClickFilters, groupBy: Exclude<ConversionGroupBy, 'timeseries'>, start: number, end: number, limit: number): Promise<ConversionReport> {
    const group = (groupBy === 'browser' || groupBy === 'os' ? null : groupBy) as ConversionGroup | null;
    const [clicks, sums] = await Promise.all([
      groupBy === 'campaign' ? this.campaignClicks(owner, filters, start, end) : this.clicks.breakdown(owner, filters, groupBy, start, end, limit),
      group ? this.store.grouped(owner, this.selectionOf(filters), group, start, end) : Promise.resolve([]),
    ]);
    const groups = new Map<string | null, { value: string | null } & FullCounts>();
    for (const item of clicks.data as Array<{ value: string | null } & Counts>) groups.set(item.value, { ...item, ...noConversions() });
    for (const sum of sums) {
      const value = sum.key === null || sum.key === '' ? null : String(sum.key);
      let item = groups.get(value);
      if (!item) {
        item = { value, clicks: 0, unique_visitors: 0, ...noConversions() };
        groups.set(value, item);
      }
      add(item, sum);
    }
    const allSums = group ? sums : await this.store.grouped(owner, this.selectionOf(filters), 'link', start, end);
    const data = [...groups.values()].sort((a, b) => b.clicks - a.clicks || b.sales - a.sales || b.leads - a.leads).slice(0, limit);
    return { totals: { ...clicks.totals, ...totalOf(allSums) }, data };
  }

  private async campaignClicks(owner: LinkOwner, filters: ClickFilters, start: number, end: number) {
    const [rows, totals] = await Promise.all([
      this.store.clicksByCampaign(owner, Math.floor(start / HOUR_MS) * HOUR_MS, end, filters.includeBots, filters.domain),
      this.clicks.timeseries(owner, filters, [start, end]),
    ]);
    return { totals: totals.totals, data: rows.map((row) => ({ value: row.campaign_id, clicks: row.clicks, unique_visitors: row.uniques })) };
  }
}
