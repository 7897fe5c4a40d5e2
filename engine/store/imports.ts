import type { Knex } from 'knex';
import { claimingAddress, type LinkOwner, type Mode } from './links';

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed';

/** A row of `imports`, without the file. Times are epoch milliseconds. */
export interface ImportRow {
  id: string;
  workspace_id: string;
  mode: Mode;
  source: string;
  status: JobStatus;
  /** JSON of the import's options. */
  options: string;
  file_name: string | null;
  file_size: number;
  total_rows: number;
  processed_rows: number;
  created_count: number;
  skipped_count: number;
  failed_count: number;
  failure: string | null;
  actor_key_id: string | null;
  actor_user_id: string | null;
  request_id: string | null;
  lease_until: number;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface ImportErrorRow {
  import_id: string;
  row: number;
  /** JSON of the error envelope's `error`. */
  error: string;
}

export interface LinkImportRow {
  workspace_id: string;
  mode: Mode;
  source: string;
  source_key: string;
  link_id: string;
}

/** What one committed chunk adds to a job's counters. */
export interface ChunkProgress {
  processed: number;
  created: number;
  skipped: number;
  failed: number;
}

const JOB_COLUMNS = [
  'id', 'workspace_id', 'mode', 'source', 'status', 'options', 'file_name', 'file_size', 'total_rows', 'processed_rows',
  'created_count', 'skipped_count', 'failed_count', 'failure', 'actor_key_id', 'actor_user_id', 'request_id', 'lease_until',
  'created_at', 'updated_at', 'finished_at',
] as const;

const INSERT_CHUNK = 200;

/** The SQL of import jobs, their per-row errors, and the map from source rows to the links they became. */
export class ImportStore {
  constructor(private readonly db: Knex) {}

  async insert(row: ImportRow & { file: Buffer }, trx: Knex = this.db): Promise<void> {
    await trx('imports').insert(row);
  }

  async find(owner: LinkOwner, id: string): Promise<ImportRow | undefined> {
    return this.db('imports').where({ id, workspace_id: owner.workspaceId, mode: owner.mode }).first([...JOB_COLUMNS]);
  }

  async get(id: string): Promise<ImportRow | undefined> {
    return this.db('imports').where({ id }).first([...JOB_COLUMNS]);
  }

  async file(id: string): Promise<Buffer> {
    const row: { file: Buffer | Uint8Array } = await this.db('imports').where({ id }).first('file');
    return Buffer.from(row.file);
  }

  /** The owner's jobs, newest first. */
  listQuery(owner: LinkOwner): Knex.QueryBuilder {
    return this.db('imports').where({ workspace_id: owner.workspaceId, mode: owner.mode }).select([...JOB_COLUMNS]);
  }

  /** Unfinished jobs nobody holds (never taken, or their holder's lease ran out), oldest first. */
  async claimable(now: number, limit = 5): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db('imports').whereIn('status', ['queued', 'running']).where('lease_until', '<', now).orderBy('id').limit(limit).select('id');
    return rows.map((row) => row.id);
  }

  /** Takes the job when nobody holds it; true when this caller now does. */
  async claim(id: string, now: number, leaseUntil: number): Promise<boolean> {
    const taken = await this.db('imports')
      .where({ id })
      .whereIn('status', ['queued', 'running'])
      .where('lease_until', '<', now)
      .update({ status: 'running', lease_until: leaseUntil, updated_at: now });
    return taken === 1;
  }

  /** Advances the cursor and counters by one committed chunk, in its transaction, and renews the lease. */
  async advance(trx: Knex, id: string, progress: ChunkProgress, now: number, leaseUntil: number): Promise<void> {
    await trx('imports')
      .where({ id })
      .update({
        processed_rows: trx.raw('processed_rows + ?', [progress.processed]),
        created_count: trx.raw('created_count + ?', [progress.created]),
        skipped_count: trx.raw('skipped_count + ?', [progress.skipped]),
        failed_count: trx.raw('failed_count + ?', [progress.failed]),
        lease_until: leaseUntil,
        updated_at: now,
      });
  }

  async finish(id: string, status: 'completed' | 'failed', now: number, failure: string | null = null): Promise<void> {
    await this.db('imports').where({ id }).update({ status, failure, finished_at: now, updated_at: now, lease_until: 0 });
  }

  /** Lets another runner take the job at once (this process is closing). */
  async release(id: string): Promise<void> {
    await this.db('imports').where({ id, status: 'running' }).update({ lease_until: 0 });
  }

  async insertErrors(trx: Knex, rows: ImportErrorRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx('import_errors').insert(rows.slice(i, i + INSERT_CHUNK));
  }

  /** `limit` per-row errors of a job, by row, after row `afterRow`. */
  async errors(id: string, limit: number, afterRow = 0): Promise<ImportErrorRow[]> {
    return this.db('import_errors').where({ import_id: id }).where('row', '>', afterRow).orderBy('row').limit(limit).select('import_id', 'row', 'error');
  }

  /** Which of `keys` (of one source) were imported before by the owner, still as a link. */
  async importedKeys(trx: Knex, owner: LinkOwner, source: string, keys: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < keys.length; i += 500) {
      const rows: Array<{ source_key: string }> = await trx('link_imports')
        .where({ workspace_id: owner.workspaceId, mode: owner.mode, source })
        .whereIn('source_key', keys.slice(i, i + 500))
        .select('source_key');
      for (const row of rows) found.add(row.source_key);
    }
    return found;
  }

  /** Remembers which link each source row became; a row recorded meanwhile by another runner throws AddressTaken. */
  async recordImported(trx: Knex, rows: LinkImportRow[]): Promise<void> {
    await claimingAddress(async () => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx('link_imports').insert(rows.slice(i, i + INSERT_CHUNK));
    });
  }
}
