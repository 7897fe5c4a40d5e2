import type { Knex } from 'knex';
import { dialectOf } from './db';
import type { Mode } from './keys';
import { pgQuery, UnnestInsert } from './pg-unnest';

/** A click row as stored (`clicks`); the click pipeline's RecordedClick is one. */
export interface ClickRow {
  id: string;
  linkId: string;
  workspaceId: string;
  mode: Mode;
  at: number;
  referrer: string | null;
  referrerHost: string | null;
  country: string | null;
  device: string;
  browser: string | null;
  os: string | null;
  bot: boolean;
  head: boolean;
  visitorHash: string;
  /** Counted in `links.clicks`: neither a bot nor a HEAD request. */
  counted: boolean;
  /** The routing rule and A/B variant that served the click (smart routing); null: none. */
  ruleId?: string | null;
  variant?: string | null;
}

/**
 * The SQL of a click batch, run inside the flush transaction: the click rows and the links' `clicks` counters.
 * (The batch writers in engine/clicks decide when and where a batch is written; this only knows the tables.)
 */
export interface ClickStore {
  /** Inserts click rows, skipping ids already stored (a batch retried after a lost commit acknowledgement). */
  insert<T extends ClickRow>(trx: Knex.Transaction, clicks: T[]): Promise<T[]>;
  /**
   * Adds each link's counted clicks to `links.clicks`; answers the new totals of the links in `capped` (links with a
   * max_clicks: only their totals are used, and only theirs cross back to the engine's thread).
   */
  increment(trx: Knex.Transaction, counts: Map<string, number>, capped?: ReadonlySet<string>): Promise<Map<string, number>>;
}

const COLUMNS = [
  'id', 'link_id', 'workspace_id', 'mode', 'created_at', 'referrer', 'referrer_host', 'country', 'device', 'browser', 'os',
  'is_bot', 'is_head', 'visitor_hash', 'rule_id', 'variant',
];

const valuesOf = (click: ClickRow, flag: (value: boolean) => boolean | number) => [
  click.id, click.linkId, click.workspaceId, click.mode, click.at, click.referrer, click.referrerHost, click.country,
  click.device, click.browser, click.os, flag(click.bot), flag(click.head), click.visitorHash, click.ruleId ?? null,
  click.variant ?? null,
];

const placeholders = (count: number) => `(${new Array(count).fill('?').join(', ')})`;
const INSERT = `INSERT INTO clicks (${COLUMNS.join(', ')}) VALUES`;
const ROW = placeholders(COLUMNS.length);

const NONE: ReadonlySet<string> = new Set();

export function countByLink(clicks: readonly ClickRow[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const click of clicks) if (click.counted) counts.set(click.linkId, (counts.get(click.linkId) ?? 0) + 1);
  return counts;
}

const INCREMENT = `WITH locked AS (SELECT id FROM links WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE)
UPDATE links SET clicks = links.clicks + added.n
FROM locked JOIN unnest($1::text[], $2::bigint[]) AS added(id, n) ON added.id = locked.id
WHERE links.id = locked.id RETURNING links.id, links.clicks`;

const TYPES = ['text', 'text', 'text', 'text', 'bigint', 'text', 'text', 'text', 'text', 'text', 'text', 'boolean', 'boolean', 'text', 'text', 'text'];

/** Postgres: one statement per batch for the rows (arrays per column) and a few for the counters: each is a round trip. */
class PostgresClickStore implements ClickStore {
  private readonly rows = new UnnestInsert('clicks', COLUMNS, TYPES, 'ON CONFLICT (id) DO NOTHING RETURNING id');

  async insert<T extends ClickRow>(trx: Knex.Transaction, clicks: T[]): Promise<T[]> {
    const inserted = new Set<string>();
    for (const { id } of await this.rows.run(trx, clicks.map((click) => valuesOf(click, Boolean)))) inserted.add(id as string);
    return inserted.size === clicks.length ? clicks : clicks.filter((click) => inserted.has(click.id));
  }

  /**
   * One statement: the rows are locked in id order first (a sorted `FOR NO KEY UPDATE`), so flushes committing at
   * once, in this process or others, never wait on each other in a cycle. An `UPDATE … WHERE id IN (…)` locks rows in
   * whatever order its scan meets them, and concurrent flushes over the same links deadlocked.
   */
  async increment(trx: Knex.Transaction, counts: Map<string, number>, capped: ReadonlySet<string> = NONE): Promise<Map<string, number>> {
    const totals = new Map<string, number>();
    if (counts.size === 0) return totals;
    const ids = [...counts.keys()];
    const rows = await pgQuery(trx, INCREMENT, [ids, ids.map((id) => counts.get(id))]);
    for (const row of rows as Array<{ id: string; clicks: number | string }>) if (capped.has(row.id)) totals.set(row.id, Number(row.clicks));
    return totals;
  }
}

interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
}
interface SqliteStatements {
  insert: SqliteStatement;
  increment: SqliteStatement;
  incrementReturning: SqliteStatement;
}

/**
 * SQLite (better-sqlite3, in-process and synchronous): prepared single-row statements on the transaction's own
 * connection. They cost a few microseconds a row, where building and parsing one huge statement per chunk costs
 * several times that, and every microsecond here is taken from the redirects sharing the event loop.
 */
class SqliteClickStore implements ClickStore {
  private readonly prepared = new WeakMap<object, SqliteStatements>();

  private async statements(trx: Knex.Transaction): Promise<SqliteStatements> {
    const connection = (await trx.client.acquireConnection()) as { prepare(sql: string): SqliteStatement };
    let statements = this.prepared.get(connection);
    if (!statements) {
      statements = {
        insert: connection.prepare(`${INSERT} ${ROW} ON CONFLICT (id) DO NOTHING`),
        increment: connection.prepare('UPDATE links SET clicks = clicks + ? WHERE id = ?'),
        incrementReturning: connection.prepare('UPDATE links SET clicks = clicks + ? WHERE id = ? RETURNING clicks'),
      };
      this.prepared.set(connection, statements);
    }
    return statements;
  }

  async insert<T extends ClickRow>(trx: Knex.Transaction, clicks: T[]): Promise<T[]> {
    const { insert } = await this.statements(trx);
    const inserted = clicks.filter((click) => insert.run(...valuesOf(click, Number)).changes === 1);
    return inserted.length === clicks.length ? clicks : inserted;
  }

  async increment(trx: Knex.Transaction, counts: Map<string, number>, capped: ReadonlySet<string> = NONE): Promise<Map<string, number>> {
    const { increment, incrementReturning } = await this.statements(trx);
    const totals = new Map<string, number>();
    for (const [id, count] of counts) {
      if (!capped.has(id)) {
        increment.run(count, id);
        continue;
      }
      const row = incrementReturning.get(count, id) as { clicks: number } | undefined;
      if (row) totals.set(id, Number(row.clicks));
    }
    return totals;
  }
}

export const clickStoreFor = (db: Knex): ClickStore => (dialectOf(db) === 'sqlite' ? new SqliteClickStore() : new PostgresClickStore());
