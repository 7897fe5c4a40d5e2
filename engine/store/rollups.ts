import type { Knex } from 'knex';
import { dialectOf } from './db';
import { UnnestInsert } from './pg-unnest';

/**
 * The click rollup tables' SQL: `click_visitors` (the first click of a visitor per link and UTC day),
 * `link_click_rollups` and `workspace_click_rollups` (hourly counters, added to by upsert). The rows are built per
 * batch by the analytics rollup writer (engine/analytics/rollups.ts): one row per distinct key.
 */

const LINK_KEY = ['link_id', 'dimension', 'bucket_start', 'value', 'bot'];
const WORKSPACE_KEY = ['workspace_id', 'mode', 'dimension', 'bucket_start', 'domain', 'value', 'bot'];
/** The counters of a rollup row, after its key columns: all clicks and uniques, then each quarter hour's. */
export const COUNTERS = ['clicks', 'uniques', 'c0', 'u0', 'c1', 'u1', 'c2', 'u2', 'c3', 'u3'] as const;

/** The first-seen key of a click's visitor: link, UTC day, visitor (64 bits of the daily hash), bot. */
export interface VisitorDay {
  day: number;
  linkId: string;
  visitor: string;
  bot: number;
}

const SEP = '\u0000';
export const visitorKey = (v: VisitorDay) => `${v.day}${SEP}${v.linkId}${SEP}${v.visitor}${SEP}${v.bot}`;

/**
 * Per table: the columns of a row in the order the rollup writer builds them (key columns, then COUNTERS), and its
 * primary key. link_click_rollups: link_id, dimension, bucket_start, value, bot, workspace_id, mode.
 * workspace_click_rollups: workspace_id, mode, dimension, bucket_start, domain, value, bot.
 */
const TABLES = {
  link_click_rollups: { columns: [...LINK_KEY, 'workspace_id', 'mode'], key: LINK_KEY },
  workspace_click_rollups: { columns: WORKSPACE_KEY, key: WORKSPACE_KEY },
};
export type RollupTable = keyof typeof TABLES;
export type RollupRow = Array<string | number>;

const VISITOR_COLUMNS = ['day', 'link_id', 'visitor', 'bot'];
const placeholders = (count: number) => `(${new Array(count).fill('?').join(', ')})`;
const insertSql = (table: string, columns: string[]) => `INSERT INTO ${table} (${columns.join(', ')}) VALUES`;
const columnsOf = (table: RollupTable) => [...TABLES[table].columns, ...COUNTERS];
const mergeSql = (table: RollupTable) =>
  `ON CONFLICT (${TABLES[table].key.join(', ')}) DO UPDATE SET ${COUNTERS.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`;
const visitorValues = (v: VisitorDay) => [v.day, v.linkId, v.visitor, v.bot];

const COUNTER_TYPES = COUNTERS.map(() => 'int');

/** The SQL a rollup write needs, inside the flush transaction; the dialects differ only in how statements are batched. */
export interface RollupStore {
  /** Inserts the visitor-days not stored yet; answers the keys (visitorKey) of those it inserted. */
  insertVisitors(trx: Knex.Transaction, visitors: VisitorDay[]): Promise<Set<string>>;
  /** Adds each row's counters to the stored row with its key (or inserts it). Rows come sorted, one per key. */
  upsert(trx: Knex.Transaction, table: RollupTable, rows: RollupRow[]): Promise<void>;
}

/**
 * Postgres: one statement per table and flush, each column one array parameter (see UnnestInsert), since every
 * statement is a network round trip and thousands of single bindings cost more CPU than the rows themselves.
 */
class PostgresRollupStore implements RollupStore {
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

  async upsert(trx: Knex.Transaction, table: RollupTable, rows: RollupRow[]): Promise<void> {
    await this.tables[table].run(trx, rows);
  }
}

interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
}

/** SQLite (better-sqlite3, synchronous): prepared single-row statements on the transaction's own connection. */
class SqliteRollupStore implements RollupStore {
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

  async upsert(trx: Knex.Transaction, table: RollupTable, rows: RollupRow[]): Promise<void> {
    const statement = (await this.statements(trx))[table];
    for (const row of rows) statement.run(...row);
  }
}

export const rollupStoreFor = (db: Knex): RollupStore => (dialectOf(db) === 'sqlite' ? new SqliteRollupStore() : new PostgresRollupStore());
