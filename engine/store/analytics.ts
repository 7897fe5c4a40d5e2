import type { Knex } from 'knex';
import { asBool } from './db';
import { LinkStore, type LinkOwner } from './links';
import { deleteInBatches, idBoundAt } from './pruning';

/**
 * Which rollup rows a report reads: one owner's, without bot rows unless `includeBots`, of one link, of the links
 * carrying a tag (on a domain, when given), or of the whole workspace (on a domain, when given).
 */
export type RollupSelection = { owner: LinkOwner; includeBots: boolean } & (
  | { linkId: string }
  | { tag: string; domain?: string }
  | { campaignId: string; domain?: string }
  | { domain?: string }
);

/**
 * Where in the hourly rows a range lies: from the hour holding its start (`fromHour`) to its exclusive `end`; the hours
 * it cuts (at most two) count only the quarters (0–3) inside it.
 */
export interface RollupRange {
  fromHour: number;
  end: number;
  partial: Array<{ hour: number; quarters: number[] }>;
}

/** The sums of one hour's `all` rows: in total, and per quarter of the hour. */
export interface HourSums {
  hour: number;
  clicks: number;
  uniques: number;
  quarterClicks: number[];
  quarterUniques: number[];
}

/** The top values of a dimension and what every known value adds up to (before the limit), with the range's totals. */
export interface BreakdownSums {
  known: Array<{ value: string; clicks: number; uniques: number }>;
  knownClicks: number;
  knownUniques: number;
  totals: { clicks: number; uniques: number };
}

/** One slice of an export's raw clicks (see clickSlice). */
export interface ClickSlice {
  clicks: StoredClick[];
  next: string | null;
}

/** Which raw clicks an export reads. */
export interface ClickSelection {
  linkId?: string;
  tag?: string;
  domain?: string;
  includeBots: boolean;
}

/** A stored click as the export reads it; no address is stored. */
export interface StoredClick {
  id: string;
  createdAt: number;
  linkId: string;
  referrer: string | null;
  referrerHost: string | null;
  country: string | null;
  device: string;
  browser: string | null;
  os: string | null;
  bot: boolean;
  head: boolean;
  /** The routing rule and A/B variant that served the click; null: none. */
  ruleId: string | null;
  variant: string | null;
}

type Row = Record<string, number | string | null>;

interface ClickRow {
  id: string;
  created_at: number | string;
  link_id: string;
  referrer: string | null;
  referrer_host: string | null;
  country: string | null;
  device: string;
  browser: string | null;
  os: string | null;
  is_bot: unknown;
  is_head: unknown;
  rule_id: string | null;
  variant: string | null;
}

const toClick = (row: ClickRow): StoredClick => ({
  id: row.id,
  createdAt: Number(row.created_at),
  linkId: row.link_id,
  referrer: row.referrer,
  referrerHost: row.referrer_host,
  country: row.country,
  device: row.device,
  browser: row.browser,
  os: row.os,
  bot: asBool(row.is_bot),
  head: asBool(row.is_head),
  ruleId: row.rule_id,
  variant: row.variant,
});

const QUARTERS = [0, 1, 2, 3];

/**
 * The read side of click analytics: reports from the rollup tables (written by engine/analytics/rollups.ts), whose cost
 * follows the number of hours (and group values) in a range, never the number of clicks; the raw-click export; and
 * retention's deletes of raw clicks and visitor-days.
 */
export class AnalyticsStore {
  private readonly links: LinkStore;

  constructor(private readonly db: Knex) {
    this.links = new LinkStore(db);
  }

  private tableOf(selection: RollupSelection): 'link_click_rollups' | 'workspace_click_rollups' {
    return 'linkId' in selection || 'tag' in selection || 'campaignId' in selection ? 'link_click_rollups' : 'workspace_click_rollups';
  }

  /** The selection's rollup table, narrowed to its owner and filters. */
  private rollups(selection: RollupSelection): Knex.QueryBuilder {
    const query = this.db(this.tableOf(selection));
    query.where({ workspace_id: selection.owner.workspaceId, mode: selection.owner.mode });
    if (!selection.includeBots) query.where('bot', 0);
    if ('linkId' in selection) return query.where('link_id', selection.linkId);
    // Tags are read as they are now, like Dub: a link tagged today shows its whole history under the tag.
    if ('tag' in selection) return query.whereIn('link_id', this.links.taggedIds(selection.owner, selection.tag, selection.domain));
    if ('campaignId' in selection) return query.whereIn('link_id', this.links.inCampaign(selection.owner, selection.campaignId, selection.domain));
    return selection.domain ? query.where('domain', selection.domain) : query;
  }

  /** Sums over the range of hourly rows: whole hours by their totals, the hours it cuts by their quarters. */
  private rangeSums(range: RollupRange): { clicks: Knex.Raw; uniques: Knex.Raw } {
    const sum = (total: string, prefix: 'c' | 'u') => {
      if (range.partial.length === 0) return this.db.raw(`SUM(${total})`);
      // Column names come from the constants above, never from the request; hours are bound.
      const cases = range.partial.map(({ quarters }) => `WHEN bucket_start = ? THEN ${quarters.map((q) => `${prefix}${q}`).join(' + ')}`).join(' ');
      return this.db.raw(`SUM(CASE ${cases} ELSE ${total} END)`, range.partial.map(({ hour }) => hour));
    };
    return { clicks: sum('clicks', 'c'), uniques: sum('uniques', 'u') };
  }

  /** The `all` sums of each hour from `fromHour` to `end` that has rows. */
  async hourlySums(selection: RollupSelection, fromHour: number, end: number): Promise<HourSums[]> {
    const quarters = QUARTERS.flatMap((q) => [`c${q}`, `u${q}`]);
    const rows: Row[] = await this.rollups(selection)
      .where('dimension', 'all')
      .where('bucket_start', '>=', fromHour)
      .where('bucket_start', '<', end)
      .groupBy('bucket_start')
      .select('bucket_start', ...['clicks', 'uniques', ...quarters].map((column) => this.db.raw('SUM(??) AS ??', [column, column])));
    return rows.map((row) => ({
      hour: Number(row.bucket_start),
      clicks: Number(row.clicks),
      uniques: Number(row.uniques),
      quarterClicks: QUARTERS.map((q) => Number(row[`c${q}`])),
      quarterUniques: QUARTERS.map((q) => Number(row[`u${q}`])),
    }));
  }

  /** The top `limit` values of `dimension` over the range, by clicks, then value; and the range's totals. */
  async breakdown(selection: RollupSelection, dimension: string, range: RollupRange, limit: number): Promise<BreakdownSums> {
    const sums = this.rangeSums(range);
    const inRange = (rowsOf: string) =>
      this.rollups(selection).where('dimension', rowsOf).where('bucket_start', '>=', range.fromHour).where('bucket_start', '<', range.end);
    // Per-link rows keep no `link` dimension: their `all` rows, grouped by link, are the same counts.
    const perLink = dimension === 'link' && this.tableOf(selection) === 'link_click_rollups';
    const column = perLink ? 'link_id' : 'value';
    const [known, totals] = await Promise.all([
      inRange(perLink ? 'all' : dimension)
        .whereNot(column, '')
        .groupBy(column)
        .select(
          `${column} as value`,
          this.db.raw('? AS clicks', [sums.clicks]),
          this.db.raw('? AS uniques', [sums.uniques]),
          // Before the limit: what all known values add up to, for the unknown group.
          this.db.raw('SUM(?) OVER () AS known_clicks', [sums.clicks]),
          this.db.raw('SUM(?) OVER () AS known_uniques', [sums.uniques]),
        )
        .havingRaw('? > 0', [sums.clicks])
        .orderByRaw('? DESC, ?? ASC', [sums.clicks, column])
        .limit(limit) as Promise<Row[]>,
      inRange('all').first(this.db.raw('? AS clicks', [sums.clicks]), this.db.raw('? AS uniques', [sums.uniques])) as Promise<Row | undefined>,
    ]);
    return {
      known: known.map((row) => ({ value: String(row.value), clicks: Number(row?.clicks ?? 0), uniques: Number(row?.uniques ?? 0) })),
      knownClicks: Number(known[0]?.known_clicks ?? 0),
      knownUniques: Number(known[0]?.known_uniques ?? 0),
      totals: { clicks: Number(totals?.clicks ?? 0), uniques: Number(totals?.uniques ?? 0) },
    };
  }

  /**
   * The owner's raw clicks in the next slice of [start, end) after the click id `after` (null: from `start`), oldest
   * first. Raw clicks are indexed by id alone (ids start with their time), so a slice is the next `slice` stored rows,
   * whoever's they are: no query reads more than that however sparse the owner's clicks. `next` is the id the
   * following slice starts after; null once the range is read.
   */
  async clickSlice(owner: LinkOwner, filters: ClickSelection, start: number, end: number, after: string | null, slice: number): Promise<ClickSlice> {
    const from = after ?? idBoundAt('clk', start);
    const before = idBoundAt('clk', end);
    const last: { id: string } | undefined = await this.db('clicks').where('id', '>', from).where('id', '<', before).orderBy('id').offset(slice - 1).first('id');
    const query = this.db('clicks')
      .where('clicks.id', '>', from)
      .where('clicks.id', last ? '<=' : '<', last ? last.id : before)
      .where({ 'clicks.workspace_id': owner.workspaceId, 'clicks.mode': owner.mode });
    if (filters.linkId) query.where('clicks.link_id', filters.linkId);
    if (filters.tag) query.whereIn('clicks.link_id', this.links.taggedIds(owner, filters.tag));
    if (filters.domain) query.whereIn('clicks.link_id', this.links.idsOnDomain(filters.domain));
    if (!filters.includeBots) query.whereRaw('NOT clicks.is_bot AND NOT clicks.is_head');
    const rows: ClickRow[] = await query
      .orderBy('clicks.id')
      .select(
        'clicks.id', 'clicks.created_at', 'clicks.link_id', 'clicks.referrer', 'clicks.referrer_host', 'clicks.country',
        'clicks.device', 'clicks.browser', 'clicks.os', 'clicks.is_bot', 'clicks.is_head', 'clicks.rule_id', 'clicks.variant',
      );
    return { clicks: rows.map(toClick), next: last?.id ?? null };
  }

  /** Deletes raw clicks whose id is below `bound` (created before it), `batch` at a time; answers how many went. */
  deleteClicksBefore(bound: string, batch: number): Promise<number> {
    return deleteInBatches(this.db, 'clicks', (q) => q.where('id', '<', bound), batch);
  }

  /** Deletes first-seen visitor rows of UTC days (days since the epoch) before `day`; answers how many went. */
  deleteVisitorDaysBefore(day: number): Promise<number> {
    return this.db('click_visitors').where('day', '<', day).delete();
  }
}
