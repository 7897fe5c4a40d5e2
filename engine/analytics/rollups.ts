import type { Knex } from 'knex';
import type { FlushListener, RecordedClick } from '../clicks';
import { dialectOf } from '../store/db';
import { DAY_MS, HOUR_MS, QUARTER_MS } from './zone';

/** The dimensions kept per link; the workspace rollup adds `link`. `all` has the single value ''. */
export const LINK_DIMENSIONS = ['all', 'referrer', 'country', 'device', 'browser', 'os'] as const;
export type Dimension = (typeof LINK_DIMENSIONS)[number] | 'link';

const LINK_KEY = ['link_id', 'dimension', 'bucket_start', 'value', 'bot'];
const WORKSPACE_KEY = ['workspace_id', 'mode', 'dimension', 'bucket_start', 'domain', 'value', 'bot'];
export const COUNTERS = ['clicks', 'uniques', 'c0', 'u0', 'c1', 'u1', 'c2', 'u2', 'c3', 'u3'] as const;

/** The value a click has in a dimension; '' when unknown (direct traffic, unknown country…). */
function valuesOf(click: RecordedClick): Array<[Dimension, string]> {
  return [
    ['all', ''],
    ['referrer', click.referrerHost ?? ''],
    ['country', click.country ?? ''],
    ['device', click.device],
    ['browser', click.browser ?? ''],
    ['os', click.os ?? ''],
  ];
}

/** Bots and HEAD requests: recorded, never counted as visits (the same rule as `links.clicks`). */
const botFlag = (click: RecordedClick) => (click.counted ? 0 : 1);

/** One rollup row being built: its key columns and its counters (hour totals, then per quarter hour). */
interface Cell {
  key: Array<string | number>;
  counts: number[];
}

class Cells {
  private readonly cells = new Map<string, Cell>();

  add(key: Array<string | number>, quarter: number, unique: boolean): void {
    const id = key.join('\u0000');
    let cell = this.cells.get(id);
    if (!cell) this.cells.set(id, (cell = { key, counts: new Array<number>(COUNTERS.length).fill(0) }));
    const u = unique ? 1 : 0;
    cell.counts[0] += 1;
    cell.counts[1] += u;
    cell.counts[2 + quarter * 2] += 1;
    cell.counts[3 + quarter * 2] += u;
  }

  /** Rows in one order shared by every process, so concurrent upserts lock rows in the same order. */
  rows(): Array<Array<string | number>> {
    return [...this.cells.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, cell]) => [...cell.key, ...cell.counts]);
  }
}

/** The first-seen key of a click's visitor: link, UTC day, visitor (64 bits of the daily hash), bot. */
export interface VisitorDay {
  day: number;
  linkId: string;
  visitor: string;
  bot: number;
}

const visitorKey = (v: VisitorDay) => `${v.day}\u0000${v.linkId}\u0000${v.visitor}\u0000${v.bot}`;

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

const CHUNK = 400;

/** Postgres: a few multi-row statements per flush, since every statement is a network round trip. */
class MultiRowStore implements RollupStore {
  async insertVisitors(trx: Knex.Transaction, visitors: VisitorDay[]): Promise<Set<string>> {
    const inserted = new Set<string>();
    for (let i = 0; i < visitors.length; i += CHUNK) {
      const chunk = visitors.slice(i, i + CHUNK);
      const sql = `${insertSql('click_visitors', VISITOR_COLUMNS)} ${chunk.map(() => placeholders(4)).join(', ')} ON CONFLICT DO NOTHING RETURNING day, link_id, visitor, bot`;
      const result = await trx.raw(sql, chunk.flatMap(visitorValues));
      for (const row of result.rows as Array<{ day: number; link_id: string; visitor: string; bot: number }>) {
        inserted.add(visitorKey({ day: Number(row.day), linkId: row.link_id, visitor: row.visitor, bot: Number(row.bot) }));
      }
    }
    return inserted;
  }

  async upsert(trx: Knex.Transaction, table: RollupTable, rows: Array<Array<string | number>>): Promise<void> {
    const columns = columnsOf(table);
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      await trx.raw(`${insertSql(table, columns)} ${chunk.map(() => placeholders(columns.length)).join(', ')} ${mergeSql(table)}`, chunk.flat());
    }
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
    const sorted = [...visitors.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
    const fresh = await this.store.insertVisitors(trx, sorted);

    const links = new Cells();
    const workspaces = new Cells();
    clicks.forEach((click, i) => {
      const unique = firstOf[i] !== null && fresh.has(firstOf[i] as string);
      const hour = Math.floor(click.at / HOUR_MS) * HOUR_MS;
      const quarter = Math.floor((click.at - hour) / QUARTER_MS);
      const bot = botFlag(click);
      for (const [dimension, value] of valuesOf(click)) {
        links.add([click.linkId, dimension, hour, value, bot, click.workspaceId, click.mode], quarter, unique);
        workspaces.add([click.workspaceId, click.mode, dimension, hour, click.domain, value, bot], quarter, unique);
      }
      workspaces.add([click.workspaceId, click.mode, 'link', hour, click.domain, click.linkId, bot], quarter, unique);
    });
    await this.store.upsert(trx, 'link_click_rollups', links.rows());
    await this.store.upsert(trx, 'workspace_click_rollups', workspaces.rows());
  }
}
