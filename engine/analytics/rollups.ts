import type { Knex } from 'knex';
import type { FlushListener, RecordedClick } from '../clicks';
import { rollupStoreFor, visitorKey, type RollupRow, type RollupStore, type VisitorDay } from '../store/rollups';
import { DAY_MS, HOUR_MS, QUARTER_MS } from './zone';

/** The dimensions kept per link; the workspace rollup adds `link`. `all` has the single value ''. */
export const LINK_DIMENSIONS = ['all', 'referrer', 'country', 'device', 'browser', 'os', 'rule', 'variant'] as const;
export type Dimension = (typeof LINK_DIMENSIONS)[number] | 'link';

/** The dimensions of the workspace rollup, and the value a click has in each ('' when unknown: direct traffic…). */
const DIMENSIONS: readonly Dimension[] = [...LINK_DIMENSIONS, 'link'];
const valueOf: Array<(click: RecordedClick) => string> = [
  () => '',
  (click) => click.referrerHost ?? '',
  (click) => click.country ?? '',
  (click) => click.device,
  (click) => click.browser ?? '',
  (click) => click.os ?? '',
  (click) => click.ruleId ?? '',
  (click) => click.variant ?? '',
  (click) => click.linkId,
];

/** Bots and HEAD requests: recorded, never counted as visits (the same rule as `links.clicks`). */
const botFlag = (click: RecordedClick) => (click.counted ? 0 : 1);

type Row = RollupRow;
/** The key columns of a row, in the table's column order. */
type KeyColumns = (click: RecordedClick, dimension: Dimension, hour: number, value: string, bot: number) => Row;

/** The counters of the clicks of one owner (link or workspace domain), hour and bot flag, per dimension and value. */
interface Group {
  click: RecordedClick;
  hour: number;
  bot: number;
  /** One map per dimension, value → counters (see COUNTERS in store/rollups). */
  values: Array<Map<string, number[]>>;
}

/**
 * Clicks of one flush alike in everything a rollup row is keyed on (link, domain, quarter hour, bot flag and every
 * dimension's value): most of a batch is repeat clicks, so rows are built once per kind of click, not once per click.
 */
interface Tally {
  click: RecordedClick;
  hour: number;
  quarter: number;
  bot: number;
  clicks: number;
  uniques: number;
}

/**
 * Rollup rows being built for one flush: tallies grouped by owner, hour and bot flag, then by value in a small map per
 * dimension.
 */
class Cells {
  private readonly groups = new Map<string, Group>();

  constructor(
    private readonly dimensions: number,
    private readonly keyColumns: KeyColumns,
  ) {}

  add(groupId: string, tally: Tally): void {
    const { click, quarter, clicks, uniques } = tally;
    let group = this.groups.get(groupId);
    if (!group) this.groups.set(groupId, (group = { click, hour: tally.hour, bot: tally.bot, values: Array.from({ length: this.dimensions }, () => new Map()) }));
    for (let d = 0; d < this.dimensions; d++) {
      const value = valueOf[d](click);
      if (value === '' && d > 0) continue; // unknown: what the known values leave of `all` (see AnalyticsQueries)
      let counts = group.values[d].get(value);
      if (!counts) group.values[d].set(value, (counts = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
      counts[0] += clicks;
      counts[1] += uniques;
      counts[2 + quarter * 2] += clicks;
      counts[3 + quarter * 2] += uniques;
    }
  }

  /** Rows in one order shared by every process (groups, then values, sorted), so concurrent upserts lock rows in the same order. */
  sorted(): Row[] {
    const rows: Row[] = [];
    for (const id of [...this.groups.keys()].sort()) {
      const { click, hour, bot, values } = this.groups.get(id) as Group;
      values.forEach((counts, d) => {
        for (const value of [...counts.keys()].sort()) rows.push([...this.keyColumns(click, DIMENSIONS[d], hour, value, bot), ...(counts.get(value) as number[])]);
      });
    }
    return rows;
  }
}

const linkColumns: KeyColumns = (click, dimension, hour, value, bot) => [click.linkId, dimension, hour, value, bot, click.workspaceId, click.mode];
const workspaceColumns: KeyColumns = (click, dimension, hour, value, bot) => [click.workspaceId, click.mode, dimension, hour, click.domain, value, bot];

const SEP = '\u0000';

/**
 * The rollup writer, a listener of the click flusher's publish point: in the transaction that stores a batch of
 * clicks it adds them to hourly rollups per link and per workspace, for every dimension, bots apart, with each hour
 * also split into quarter hours (so zones 30 or 45 minutes off UTC get exact buckets from the same rows).
 *
 * A visitor counts as unique once per link and UTC day (the visitor hash rotates at 00:00 UTC): the click that
 * inserts its `click_visitors` row adds 1 to `uniques` in its own hour, quarter and dimension values.
 */
export class RollupWriter {
  private readonly store: RollupStore;

  constructor(db: Knex) {
    this.store = rollupStoreFor(db);
  }

  readonly listener: FlushListener = (trx, clicks) => this.write(trx, clicks);

  async write(trx: Knex.Transaction, clicks: RecordedClick[]): Promise<void> {
    const visitors = new Map<string, VisitorDay>();
    const firstOf: Array<string | null> = clicks.map((click) => {
      const visitor = { day: Math.floor(click.at / DAY_MS), linkId: click.linkId, visitor: click.visitorHash.slice(0, 16), bot: botFlag(click) };
      const key = visitorKey(visitor);
      if (visitors.has(key)) return null;
      visitors.set(key, visitor);
      return key;
    });
    const sorted = [...visitors.keys()].sort().map((key) => visitors.get(key) as VisitorDay);
    const fresh = await this.store.insertVisitors(trx, sorted);

    const tallies = new Map<string, Tally>();
    clicks.forEach((click, i) => {
      const quarterStart = Math.floor(click.at / QUARTER_MS) * QUARTER_MS;
      const bot = botFlag(click);
      const key = [click.linkId, click.domain, quarterStart, bot, click.referrerHost, click.country, click.device, click.browser, click.os, click.ruleId, click.variant].join(SEP);
      let tally = tallies.get(key);
      if (!tally) {
        const hour = Math.floor(click.at / HOUR_MS) * HOUR_MS;
        tallies.set(key, (tally = { click, hour, quarter: (quarterStart - hour) / QUARTER_MS, bot, clicks: 0, uniques: 0 }));
      }
      tally.clicks += 1;
      if (firstOf[i] !== null && fresh.has(firstOf[i] as string)) tally.uniques += 1;
    });

    const links = new Cells(LINK_DIMENSIONS.length, linkColumns);
    const workspaces = new Cells(DIMENSIONS.length, workspaceColumns);
    for (const tally of tallies.values()) {
      const { click, hour, bot } = tally;
      links.add(`${click.linkId}${SEP}${hour}${SEP}${bot}`, tally);
      workspaces.add(`${click.workspaceId}${SEP}${click.mode}${SEP}${click.domain}${SEP}${hour}${SEP}${bot}`, tally);
    }
    await this.store.upsert(trx, 'link_click_rollups', links.sorted());
    await this.store.upsert(trx, 'workspace_click_rollups', workspaces.sorted());
  }
}
