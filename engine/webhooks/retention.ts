import type { Knex } from 'knex';
import { deleteInBatches, idBoundAt } from '../store/pruning';
import type { Logger } from '../support/logger';
import { PeriodicTask } from '../support/periodic-task';
import type { Clock } from '../support/time';

const BATCH = 1_000;
const PRUNE_EVERY_MS = 3_600_000;

/**
 * Keeps the delivery log and the messages it refers to for WEBHOOK_RETENTION, then deletes them in small batches.
 * Pending deliveries, and messages any remaining delivery refers to, are kept whatever their age.
 */
export class Retention {
  private readonly task: PeriodicTask<number>;

  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly retentionMs: number,
  ) {
    this.task = new PeriodicTask(
      () => this.deleteOld(),
      (error) => this.logger.warn({ err: error }, 'webhook retention failed'),
    );
  }

  start(): void {
    this.task.start(PRUNE_EVERY_MS);
  }

  /** Deletes what is older than the retention; answers how many rows went. */
  prune(): Promise<number> {
    return this.task.run();
  }

  private async deleteOld(): Promise<number> {
    const before = this.clock.now().getTime() - this.retentionMs;
    const deliveries = await deleteInBatches(
      this.db,
      'webhook_deliveries',
      (q) => q.where('id', '<', idBoundAt('dlv', before)).andWhereNot('status', 'pending'),
      BATCH,
    );
    const messages = await deleteInBatches(
      this.db,
      'events',
      (q) =>
        q
          .where('id', '<', idBoundAt('msg', before))
          .whereNotExists((sub) => sub.select(this.db.raw('1')).from('webhook_deliveries').whereRaw('webhook_deliveries.message_id = events.id')),
      BATCH,
    );
    const deleted = deliveries + messages;
    if (deleted) this.logger.info({ deleted }, 'webhook retention: deleted old deliveries and messages');
    return deleted;
  }

  close(): Promise<void> {
    return this.task.close();
  }
}
