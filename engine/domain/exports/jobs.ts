import type { ExportRow, ExportStore } from '../../store/exports';
import { notFound } from '../../support/errors';
import { newId } from '../../support/ids';
import type { Logger } from '../../support/logger';
import { PeriodicTask } from '../../support/periodic-task';
import type { Clock } from '../../support/time';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import type { TransactionRunner } from '../../store/transactions';
import type { ExportFormat, LinksExport } from './links-export';

/**
 * Export jobs for workspaces too large to download in one request: the file is built in the background (with a lease,
 * like imports, so a job whose process died is built again elsewhere) and kept for download.
 */
export class ExportJobs {
  private readonly task: PeriodicTask<void>;

  constructor(
    private readonly store: ExportStore,
    private readonly links: LinksExport,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly leaseMs: number,
    logger: Logger,
  ) {
    this.task = new PeriodicTask(() => this.poll(), { everyMs: 1000, firstMs: 50, onError: (error) => logger.error({ err: error }, 'export run failed') });
  }

  start(): void {
    this.task.start();
  }

  close(): Promise<void> {
    return this.task.close();
  }

  async create(actor: Actor, format: ExportFormat): Promise<ExportRow> {
    const now = this.clock.now();
    const row: ExportRow = { id: newId('exp', now.getTime()), workspace_id: actor.workspaceId, mode: actor.mode, format, status: 'queued', row_count: 0, failure: null, lease_until: 0, created_at: now.getTime(), finished_at: null };
    await this.transactions.run(async (trx) => {
      await this.store.insert(row, trx);
      await recordAudit(trx, actor, { action: 'export.created', resourceType: 'export', resourceId: row.id, after: { format } }, now);
    });
    void this.task.run().catch(() => undefined);
    return row;
  }

  async get(actor: Actor, id: string): Promise<ExportRow> {
    const row = await this.store.find(actor, id);
    if (!row) throw notFound('Export');
    return row;
  }

  /** The finished file; 404 while it is not ready. */
  async file(actor: Actor, id: string): Promise<{ row: ExportRow; file: Buffer }> {
    const row = await this.get(actor, id);
    const file = await this.store.file(actor, id);
    if (!file) throw notFound('Export file (not ready yet)');
    return { row, file };
  }

  private async poll(): Promise<void> {
    for (const id of await this.store.claimable(this.clock.now().getTime())) {
      const now = this.clock.now().getTime();
      if (!(await this.store.claim(id, now, now + this.leaseMs))) continue;
      await this.build((await this.store.get(id)) as ExportRow, now);
    }
  }

  /**
   * Builds a claimed job's file, renewing the lease as the chunks come (each time a third of it has passed), so a build
   * that outlasts one lease is not taken over and built again by another process. A job that can no longer be renewed
   * (it was deleted, or has finished elsewhere) is left alone.
   */
  private async build(row: ExportRow, claimedAt: number): Promise<void> {
    try {
      const parts: string[] = [];
      let rows = 0;
      let renewedAt = claimedAt;
      const owner = { workspaceId: row.workspace_id, mode: row.mode };
      for await (const chunk of this.links.chunks(owner, row.format as ExportFormat, (n) => (rows += n))) {
        parts.push(chunk);
        const now = this.clock.now().getTime();
        if (now - renewedAt < this.leaseMs / 3) continue;
        if (!(await this.store.renew(row.id, now + this.leaseMs))) return;
        renewedAt = now;
      }
      await this.store.complete(row.id, Buffer.from(parts.join('')), rows, this.clock.now().getTime());
    } catch (error) {
      await this.store.fail(row.id, error instanceof Error ? error.message : String(error), this.clock.now().getTime());
    }
  }
}
