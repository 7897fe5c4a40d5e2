import type { Knex } from 'knex';
import type { FlushListener, RecordedClick } from '../clicks';
import { UnnestInsert } from '../clicks/pg-unnest';
import { dialectOf } from '../store/db';
import { DAY_MS, HOUR_MS, QUARTER_MS } from './zone';

/** The dimensions kept per link; the workspace rollup adds `link`. `all` has the single value ''. */
export const LINK_DIMENSIONS = ['all', 'referrer', 'country', 'device', 'browser', 'os'] as const;
export type Dimension = (typeof LINK_DIMENSIONS)[number] | 'link';

const LINK_KEY = ['link_id', 'dimension', 'bucket_start', 'value', 'bot'];
const WORKSPACE_KEY = ['workspace_id', 'mode', 'dimension', 'bucket_start', 'domain', 'value', 'bot'];
export const COUNTERS = ['clicks', 'uniques', 'c0', 'u0', 'c1', 'u1', 'c2', 'u2', 'c3', 'u3'] as const;

/** The dimensions of the workspace rollup, and the value a click has in each ('' when unknown: direct traffic…). */
const DIMENSIONS: readonly Dimension[] = [...LINK_DIMENSIONS, 'link'];
const valueOf: Array<(click: RecordedClick) => string> = [
  () => '',
  (click) => click.referrerHost ?? '',
  (click) => click.country ?? '',
  (click) => click.device,
  (click) => click.browser ?? '',
  (click) => click.os ?? '',
  (click) => click.linkId,
];

/** Bots and HEAD requests: recorded, never counted as visits (the same rule as `links.clicks`). */
const botFlag = (click: RecordedClick) => (click.counted ? 0 : 1);

type Row = Array<string | number>;
/** The key columns of a row, in the table's column order. */
type KeyColumns = (click: RecordedClick, dimension: Dimension, hour: number, value: string, bot: number) => Row;

/** The counters of the clicks of one owner (link or workspace domain), hour and bot flag, per dimension and value. */
interface Group {
  click: RecordedClick;
  hour: number;
  bot: number;
  /** One map per dimension, value → counters (see COUNTERS). */
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

/** The first-seen key of a click's visitor: link, UTC day, visitor (64 bits of the daily hash), bot. */
export interface VisitorDay {
  day: number;
  linkId: string;
  visitor: string;
  bot: number;
}

const SEP = '\u0000';
const visitorKey = (v: VisitorDay) => `${v.day}${SEP}${v.linkId}${SEP}${v.visitor}${SEP}${v.bot}`;

/** The SQL a rollup write needs; the dialects differ only in how statements are batched. */
interface RollupStore {
  /** Inserts the visitor-days not stored yet; answers the keys of those it inserted. */
  insertVisitors(trx: Knex.Transaction, visitors: VisitorDay[]): Promise<Set<string>>;
  upsert(trx: Knex.Transaction, table: RollupTable, rows: Array<Array<string | number>>): Promise<void>;
}

/** Per table: the columns that identify a row, in the order Cells keys are built, and its primary key. */
const TABLES = {
  link_click_rollups: { columns: [...LINK_KEY, 'workspace_id', 'mode'], key: LINK_KEY },
  workspace_click_rollups: { columns: WORKSPACE_KEY, key: WORKSPACE_KEY },
};
type RollupTable = keyof typeof TABLES;
const VISITOR_COLUMNS = ['day', 'link_id', 'visitor', 'bot'];
const placeholders = (count: number) => `(${new Array(count).fill('?').join(', ')})`;
const insertSql = (table: string, columns: string[]) => `INSERT INTO ${table} (${columns.join(', ')}) VALUES`;
const columnsOf = (table: RollupTable) => [...TABLES[table].columns, ...COUNTERS];
const mergeSql = (table: RollupTable) =>
  `ON CONFLICT (${TABLES[table].key.join(', ')}) DO UPDATE SET ${COUNTERS.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`;
const visitorValues = (v: VisitorDay) => [v.day, v.linkId, v.visitor, v.bot];

const COUNTER_TYPES = COUNTERS.map(() => 'int');

/**
 * Postgres: one statement per table and flush, each column one array parameter (see UnnestInsert), since every
 * statement is a network round trip and thousands of single bindings cost more CPU than the rows themselves.
 */
class MultiRowStore implements RollupStore {
  private readonly visitors = new UnnestInsert('click_visitors', VISITOR_COLUMNS, ['int', 'text', 'text', 'smallint'], 'ON CONFLICT DO NOTHING RETURNING day, link_id, visitor, bot');
  private readonly tables: Record<RollupTable, UnnestInsert> = {
    link_click_rollups: new UnnestInsert('link_click_rollups', columnsOf('link_click_rollups'), ['text', 'text', 'bigint', 'text', 'smallint', 'text', 'text', ...COUNTER_TYPES], mergeSql('link_click_rollups')),
    workspace_click_rollups: new UnnestInsert('workspace_click_rollups', columnsOf('workspace_click_rollups'), ['text', 'text', 'text', 'bigint', 'text', 'text', 'smallint', ...COUNTER_TYPES], mergeSql('workspace_click_rollups')),
  };

  async insertVisitors(trx: Knex.Transaction, visitors: VisitorDay[]): Promise<Set<string>> {
    const inserted = new Set<string>();
    for (const row of (await this.visitors.run(trx, visitors.map(visitorValues))) as Array<{ day: number; link_id: string; visitor: string; bot: number }>) {
      inserted.add(visitorKey({ day: Number(row.day), linkId: row.link_id, visitor: row.visitor, bot: Number(row.bot) }));
    }
    return inserted;
  }

  async upsert(trx: Knex.Transaction, table: RollupTable, rows: Array<Array<string | number>>): Promise<void> {
    await this.tables[table].run(trx, rows);
  }
}

interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
}

/** SQLite (better-sqlite3, synchronous): prepared single-row statements on the transaction's own connection. */
class PreparedStore implements RollupStore {
  private readonly prepared = new WeakMap<object, Record<'visitor' | RollupTable, SqliteStatement>>();

  private async statements(trx: Knex.Transaction) {
    const connection = (await trx.client.acquireConnection()) as { prepare(sql: string): SqliteStatement };
    let statements = this.prepared.get(connection);
    if (!statements) {
      const upsert = (table: RollupTable) => {
        const columns = columnsOf(table);
        return connection.prepare(`${insertSql(table, columns)} ${placeholders(columns.length)} ${mergeSql(table)}`);
      };
      statements = {
        visitor: connection.prepare(`${insertSql('click_visitors', VISITOR_COLUMNS)} ${placeholders(4)} ON CONFLICT DO NOTHING`),
        link_click_rollups: upsert('link_click_rollups'),
        workspace_click_rollups: upsert('workspace_click_rollups'),
      };
      this.prepared.set(connection, statements);
    }
    return statements;
  }

  async insertVisitors(trx: Knex.Transaction, visitors: VisitorDay[]): Promise<Set<string>> {
    const { visitor } = await this.statements(trx);
    return new Set(visitors.filter((v) => visitor.run(...visitorValues(v)).changes === 1).map(visitorKey));
  }

  async upsert(trx: Knex.Transaction, table: RollupTable, rows: Array<Array<string | number>>): Promise<void> {
    const statement = (await this.statements(trx))[table];
    for (const row of rows) statement.run(...row);
  }
}

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
    this.store = dialectOf(db) === 'sqlite' ? new PreparedStore() : new MultiRowStore();
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
      const key = [click.linkId, click.domain, quarterStart, bot, click.referrerHost, click.country, click.device, click.browser, click.os].join(SEP);
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
