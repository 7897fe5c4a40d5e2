import type { Knex } from 'knex';
import { LinkStore, type LinkOwner } from '../store/links';
import { notFound } from '../support/errors';
import { HOUR_MS, QUARTER_MS } from './zone';
import type { Dimension } from './rollups';

export type GroupBy = 'timeseries' | Exclude<Dimension, 'all'>;

export interface ClickFilters {
  linkId?: string;
  tag?: string;
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

/** Where a report reads its rollups: one table, narrowed to the owner and the filters. */
interface Source {
  table: 'link_click_rollups' | 'workspace_click_rollups';
  narrow(query: Knex.QueryBuilder): Knex.QueryBuilder;
}

type Row = Record<string, number | string | null>;

const zero = (): Counts => ({ clicks: 0, unique_visitors: 0 });

/** Sums over [start, end) of hourly rows: whole hours by their totals, the hours cut by `start` or `end` by their quarters. */
function rangeSums(db: Knex, start: number, end: number): { clicks: Knex.Raw; uniques: Knex.Raw } {
  const partial: Array<{ hour: number; quarters: number[] }> = [];
  const firstHour = Math.floor(start / HOUR_MS) * HOUR_MS;
  if (firstHour < start) partial.push({ hour: firstHour, quarters: [0, 1, 2, 3].filter((q) => firstHour + q * QUARTER_MS >= start) });
  const lastHour = Math.floor(end / HOUR_MS) * HOUR_MS;
  if (lastHour < end) partial.push({ hour: lastHour, quarters: [0, 1, 2, 3].filter((q) => lastHour + q * QUARTER_MS < end) });
  const sum = (total: string, prefix: 'c' | 'u') => {
    if (partial.length === 0) return db.raw(`SUM(${total})`);
    // Column names come from the constants above, never from the request; hours are bound.
    const cases = partial.map(({ quarters }) => `WHEN bucket_start = ? THEN ${quarters.map((q) => `${prefix}${q}`).join(' + ')}`).join(' ');
    return db.raw(`SUM(CASE ${cases} ELSE ${total} END)`, partial.map(({ hour }) => hour));
  };
  return { clicks: sum('clicks', 'c'), uniques: sum('uniques', 'u') };
}

const countsOf = (row: Row | undefined): Counts => ({ clicks: Number(row?.clicks ?? 0), unique_visitors: Number(row?.uniques ?? 0) });

/**
 * Reports from the rollups (see RollupWriter): their cost follows the number of hours (and group values) in the range,
 * never the number of clicks. Workspace-wide questions read the workspace rollup; a link or a tag reads per-link rows.
 */
export class AnalyticsQueries {
  /** `db` alone: the link store is built on it (analytics/index.ts constructs it that way). */
  constructor(
    private readonly db: Knex,
    private readonly links: LinkStore,
  ) {}

  /** The rollup table and narrowing for `filters`; null when they select nothing (e.g. a link on another domain). */
  private async source(owner: LinkOwner, filters: ClickFilters): Promise<Source | null> {
    const owned = (query: Knex.QueryBuilder) => {
      query.where({ workspace_id: owner.workspaceId, mode: owner.mode });
      if (!filters.includeBots) query.where('bot', 0);
      return query;
    };
    if (filters.linkId) {
      const link = await this.links.locate(owner, filters.linkId);
      if (!link) throw notFound('Link');
      if (filters.domain && link.domain !== filters.domain) return null;
      if (filters.tag && !(await this.links.hasTag(link.id, filters.tag))) return null;
      return { table: 'link_click_rollups', narrow: (query) => owned(query).where('link_id', link.id) };
    }
    if (filters.tag) {
      // Tags are read as they are now, like Dub: a link tagged today shows its whole history under the tag.
      const links = this.links.taggedIds(owner, filters.tag, filters.domain);
      return { table: 'link_click_rollups', narrow: (query) => owned(query).whereIn('link_id', links) };
    }
    return {
      table: 'workspace_click_rollups',
      narrow: (query) => (filters.domain ? owned(query).where('domain', filters.domain) : owned(query)),
    };
  }

  /** Counts per bucket between consecutive `bounds` (all of them, empty ones with zeros), and their totals. */
  async timeseries(owner: LinkOwner, filters: ClickFilters, bounds: number[]): Promise<Report> {
    const series = bounds.slice(0, -1).map((start) => ({ start, ...zero() }));
    const source = await this.source(owner, filters);
    const start = bounds[0];
    const end = bounds[bounds.length - 1];
    if (source) {
      const quarters = [0, 1, 2, 3].flatMap((q) => [`c${q}`, `u${q}`]);
      const rows: Row[] = await source
        .narrow(this.db(source.table))
        .where('dimension', 'all')
        .where('bucket_start', '>=', Math.floor(start / HOUR_MS) * HOUR_MS)
        .where('bucket_start', '<', end)
        .groupBy('bucket_start')
        .select('bucket_start', ...['clicks', 'uniques', ...quarters].map((column) => this.db.raw('SUM(??) AS ??', [column, column])));
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
        const hour = Number(row.bucket_start);
        const index = bucketOf(hour);
        if (hour >= start && hour + HOUR_MS <= bounds[index + 1]) {
          series[index].clicks += Number(row.clicks);
          series[index].unique_visitors += Number(row.uniques);
          continue;
        }
        // An hour cut by a bucket boundary (zones 30 or 45 minutes off UTC, and the range's ends): quarter by quarter.
        for (let q = 0; q < 4; q++) {
          const at = hour + q * QUARTER_MS;
          if (at < start || at >= end) continue;
          const bucket = series[bucketOf(at)];
          bucket.clicks += Number(row[`c${q}`]);
          bucket.unique_visitors += Number(row[`u${q}`]);
        }
      }
    }
    const totals = series.reduce((sum, point) => ({ clicks: sum.clicks + point.clicks, unique_visitors: sum.unique_visitors + point.unique_visitors }), zero());
    return { totals, data: series };
  }

  /** The top `limit` values of a dimension over [start, end), by clicks, then value; and the totals of the range. */
  async breakdown(owner: LinkOwner, filters: ClickFilters, groupBy: Exclude<GroupBy, 'timeseries'>, start: number, end: number, limit: number): Promise<Report> {
    const source = await this.source(owner, filters);
    if (!source) return { totals: zero(), data: [] };
    const sums = rangeSums(this.db, start, end);
    const inRange = (dimension: Dimension) =>
      source
        .narrow(this.db(source.table))
        .where('dimension', dimension)
        .where('bucket_start', '>=', Math.floor(start / HOUR_MS) * HOUR_MS)
        .where('bucket_start', '<', end);
    // Per-link rows keep no `link` dimension: their `all` rows, grouped by link, are the same counts.
    const perLink = groupBy === 'link' && source.table === 'link_click_rollups';
    const column = perLink ? 'link_id' : 'value';
    const [known, totals] = await Promise.all([
      inRange(perLink ? 'all' : groupBy)
        .whereNot(column, '')
        .groupBy(column)
        .select(
          `${column} as value`,
          this.db.raw('? AS clicks', [sums.clicks]),
          this.db.raw('? AS uniques', [sums.uniques]),
          // Before the limit: what all known values add up to, for the unknown group below.
          this.db.raw('SUM(?) OVER () AS known_clicks', [sums.clicks]),
          this.db.raw('SUM(?) OVER () AS known_uniques', [sums.uniques]),
        )
        .havingRaw('? > 0', [sums.clicks])
        .orderByRaw('? DESC, ?? ASC', [sums.clicks, column])
        .limit(limit) as Promise<Row[]>,
      inRange('all').first(this.db.raw('? AS clicks', [sums.clicks]), this.db.raw('? AS uniques', [sums.uniques])) as Promise<Row | undefined>,
    ]);
    const groups: Array<{ value: string | null } & Counts> = known.map((row) => ({ value: String(row.value), ...countsOf(row) }));
    // No rows are kept for unknown values (direct traffic, no country…): each click and unique counts once in `all`
    // and once under one value of each dimension, so the unknown group is what the known values leave of `all`.
    const all = countsOf(totals);
    const unknown = { value: null, clicks: all.clicks - Number(known[0]?.known_clicks ?? 0), unique_visitors: all.unique_visitors - Number(known[0]?.known_uniques ?? 0) };
    if (unknown.clicks > 0) {
      const at = groups.findIndex((group) => group.clicks <= unknown.clicks);
      groups.splice(at < 0 ? groups.length : at, 0, unknown);
    }
    return { totals: all, data: groups.slice(0, limit) };
  }
}
