import type { Knex } from 'knex';
import { newId, type IdPrefix } from '../support/ids';
import type { Logger } from '../support/logger';
import type { Clock } from '../support/time';

const BATCH = 1_000;
const PRUNE_EVERY_MS = 3_600_000;

/** The smallest id created at `at`: ids are time-sortable, so `id < bound` means "created before", on the primary key. */
const idBound = (prefix: IdPrefix, at: number) => newId(prefix, at).slice(0, prefix.length + 11);

/**
 * Keeps the delivery log and the messages it refers to for WEBHOOK_RETENTION, then deletes them in small batches.
 * Pending deliveries, and messages any remaining delivery refers to, are kept whatever their age.
 */
export class Retention {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly retentionMs: number,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.prune().catch((error: unknown) => this.logger.warn({ err: error }, 'webhook retention failed')), PRUNE_EVERY_MS);
    this.timer.unref();
  }

  /** Deletes what is older than the retention; answers how many rows went. */
  prune(): Promise<number> {
    this.running ??= this.deleteOld().finally(() => (this.running = null));
    return this.running;
  }

  private async deleteOld(): Promise<number> {
    const before = this.clock.now().getTime() - this.retentionMs;
    let deleted = 0;
    for (;;) {
      const batch = this.db('webhook_deliveries').select('id').where('id', '<', idBound('dlv', before)).andWhereNot('status', 'pending').limit(BATCH);
      const count = await this.db('webhook_deliveries').whereIn('id', batch).delete();
      deleted += count;
      if (count < BATCH) break;
    }
    for (;;) {
      const batch = this.db('events')
        .select('id')
        .where('id', '<', idBound('msg', before))
        .whereNotExists((q) => q.select(this.db.raw('1')).from('webhook_deliveries').whereRaw('webhook_deliveries.message_id = events.id'))
        .limit(BATCH);
      const count = await this.db('events').whereIn('id', batch).delete();
      deleted += count;
      if (count < BATCH) break;
    }
    if (deleted) this.logger.info({ deleted }, 'webhook retention: deleted old deliveries and messages');
    return deleted;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
