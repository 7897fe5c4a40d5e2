import type { Knex } from 'knex';
import type { JobStatus } from './imports';
import type { LinkOwner, Mode } from './links';

export interface ExportRow {
  id: string;
  workspace_id: string;
  mode: Mode;
  format: string;
  status: JobStatus;
  row_count: number;
  failure: string | null;
  lease_until: number;
  created_at: number;
  finished_at: number | null;
}

const COLUMNS = ['id', 'workspace_id', 'mode', 'format', 'status', 'row_count', 'failure', 'lease_until', 'created_at', 'finished_at'] as const;

/** The SQL of export jobs and their finished files. */
export class ExportStore {
  constructor(private readonly db: Knex) {}

  async insert(row: ExportRow, trx: Knex = this.db): Promise<void> {
    await trx('exports').insert(row);
  }

  async find(owner: LinkOwner, id: string): Promise<ExportRow | undefined> {
    return this.db('exports').where({ id, workspace_id: owner.workspaceId, mode: owner.mode }).first([...COLUMNS]);
  }

  async get(id: string): Promise<ExportRow | undefined> {
    return this.db('exports').where({ id }).first([...COLUMNS]);
  }

  async file(owner: LinkOwner, id: string): Promise<Buffer | null> {
    const row: { file: Buffer | Uint8Array | null } | undefined = await this.db('exports').where({ id, workspace_id: owner.workspaceId, mode: owner.mode, status: 'completed' }).first('file');
    return row?.file ? Buffer.from(row.file) : null;
  }

  async claimable(now: number, limit = 5): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db('exports').whereIn('status', ['queued', 'running']).where('lease_until', '<', now).orderBy('id').limit(limit).select('id');
    return rows.map((row) => row.id);
  }

  async claim(id: string, now: number, leaseUntil: number): Promise<boolean> {
    return (await this.db('exports').where({ id }).whereIn('status', ['queued', 'running']).where('lease_until', '<', now).update({ status: 'running', lease_until: leaseUntil })) === 1;
  }

  /** Extends a running job's lease; false when it is no longer running. */
  async renew(id: string, leaseUntil: number): Promise<boolean> {
    return (await this.db('exports').where({ id, status: 'running' }).update({ lease_until: leaseUntil })) === 1;
  }

  async complete(id: string, file: Buffer, rowCount: number, now: number): Promise<void> {
    await this.db('exports').where({ id }).update({ status: 'completed', file, row_count: rowCount, finished_at: now, lease_until: 0 });
  }

  async fail(id: string, failure: string, now: number): Promise<void> {
    await this.db('exports').where({ id }).update({ status: 'failed', failure, finished_at: now, lease_until: 0 });
  }
}
