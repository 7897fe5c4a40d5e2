import type { Knex } from 'knex';
import type { Mode } from './keys';

/**
 * Stored as the columns latency_0 … latency_13 of `api_usage` (engine/usage/histogram.ts defines the buckets):
 * changing their number needs a migration.
 */
export const LATENCY_COLUMN_COUNT = 14;
const LATENCY_COLUMNS = Array.from({ length: LATENCY_COLUMN_COUNT }, (_, i) => `latency_${i}`);

const PRIMARY_KEY = ['workspace_id', 'mode', 'bucket_ms', 'bucket_start', 'key_id', 'method', 'route', 'status'];
const SUMMED = ['requests', 'duration_ms_sum', ...LATENCY_COLUMNS];
const ROWS_PER_INSERT = 200;

/** One counter of `api_usage`: requests of one key, method, route and status in one bucket; `latency` per histogram bucket. */
export interface UsageCounter {
  workspace_id: string;
  mode: Mode;
  bucket_ms: number;
  bucket_start: number;
  key_id: string;
  method: string;
  route: string;
  status: number;
  requests: number;
  duration_ms_sum: number;
  latency: number[];
}

/** Thrown by `add` when the database refused the rows themselves, not when it failed: `cause` is the driver's error. */
export class UsageRowsRefused extends Error {
  constructor(cause: unknown) {
    super('The database refused API usage rows.', { cause });
    this.name = 'UsageRowsRefused';
  }
}

/**
 * Whether a write failed because of the rows themselves (a value the column cannot hold, a broken constraint) rather
 * than the database (down, locked, table missing).
 */
export function isDataError(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  // Postgres SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation).
  if (/^2[23][0-9A-Z]{3}$/.test(code)) return true;
  return /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/.test(code);
}

/** Which stored counters a report reads: one owner and resolution, [start, end) of bucket starts, optional filters. */
export interface UsageFilter {
  workspaceId: string;
  mode: Mode;
  bucketMs: number;
  start: number;
  end: number;
  keyId?: string;
  method?: string;
  route?: string;
  status?: number;
}

/** Sums of counters: `latency` per histogram bucket. Sums arrive as strings on Postgres. */
export interface UsageSums {
  status: number;
  requests: number | string;
  duration_ms_sum: number | string;
  latency: Array<number | string>;
}

type SummedRow = Omit<UsageSums, 'latency'> & { [latency: string]: number | string };

const toSums = <T extends SummedRow>(row: T): T & { latency: Array<number | string> } => ({ ...row, latency: LATENCY_COLUMNS.map((column) => row[column]) });

/** API usage counters (`api_usage`): additive upserts from any number of processes, summed by reports. */
export class UsageStore {
  constructor(private readonly db: Knex) {}

  /**
   * Adds the counters to the stored ones in one transaction, in batches, in the given order (callers sort, so
   * concurrent upserts lock rows in one order). Throws UsageRowsRefused when the database refuses their data.
   */
  async add(counters: UsageCounter[]): Promise<void> {
    const rows = counters.map(({ latency, ...row }) => ({ ...row, ...Object.fromEntries(LATENCY_COLUMNS.map((column, i) => [column, latency[i]])) }));
    const merge = Object.fromEntries(SUMMED.map((column) => [column, this.db.raw('?? + excluded.??', [`api_usage.${column}`, column])]));
    try {
      await this.db.transaction(async (trx) => {
        for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
          await trx('api_usage').insert(rows.slice(i, i + ROWS_PER_INSERT)).onConflict(PRIMARY_KEY).merge(merge);
        }
      });
    } catch (error) {
      if (isDataError(error)) throw new UsageRowsRefused(error);
      throw error;
    }
  }

  /** Deletes the counters of one resolution whose bucket starts before `before`. */
  async deleteOlder(bucketMs: number, before: number): Promise<void> {
    await this.db('api_usage').where({ bucket_ms: bucketMs }).andWhere('bucket_start', '<', before).delete();
  }

  private sums(filter: UsageFilter): Knex.QueryBuilder {
    const builder = this.db('api_usage')
      .where({ workspace_id: filter.workspaceId, mode: filter.mode, bucket_ms: filter.bucketMs })
      .andWhere('bucket_start', '>=', filter.start)
      .andWhere('bucket_start', '<', filter.end);
    if (filter.keyId) builder.andWhere('key_id', filter.keyId);
    if (filter.method) builder.andWhere('method', filter.method);
    if (filter.route) builder.andWhere('route', filter.route);
    if (filter.status) builder.andWhere('status', filter.status);
    return builder.select(['requests', 'duration_ms_sum', ...LATENCY_COLUMNS].map((column) => this.db.raw('sum(??) as ??', [column, column])));
  }

  /** Sums per key, method, route and status. */
  async sumsByCombination(filter: UsageFilter): Promise<Array<UsageSums & { key_id: string; method: string; route: string }>> {
    const rows = (await this.sums(filter).select('key_id', 'method', 'route', 'status').groupBy('key_id', 'method', 'route', 'status')) as Array<
      SummedRow & { key_id: string; method: string; route: string }
    >;
    return rows.map(toSums);
  }

  /** Sums per slot of `intervalMs` (a bucket start rounded down to it) and status. */
  async sumsBySlot(filter: UsageFilter, intervalMs: number): Promise<Array<UsageSums & { slot: number | string }>> {
    // intervalMs comes from the report's fixed intervals, never from the request, so it is safe to inline.
    const slotSql = `bucket_start - (bucket_start % ${intervalMs})`;
    const rows = (await this.sums(filter).select(this.db.raw(`${slotSql} as slot`), 'status').groupByRaw(slotSql).groupBy('status')) as Array<
      SummedRow & { slot: number | string }
    >;
    return rows.map(toSums);
  }

  /** Name and prefix of those of `ids` that are keys of the workspace. */
  async keyNames(workspaceId: string, ids: string[]): Promise<Map<string, { name: string; prefix: string }>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db('api_keys').select('id', 'name', 'prefix').where({ workspace_id: workspaceId }).whereIn('id', ids);
    return new Map(rows.map((row: { id: string; name: string; prefix: string }) => [row.id, row]));
  }
}
