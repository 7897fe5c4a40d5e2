import type { Knex } from 'knex';
import { deleteInBatches, idBoundAt } from '../store/pruning';
import type { Logger } from '../support/logger';
import { PeriodicTask } from '../support/periodic-task';
import type { Clock } from '../support/time';
import { DAY_MS } from './zone';

const BATCH = 5_000;
const PRUNE_EVERY_MS = 3_600_000;
const FIRST_PRUNE_MS = 60_000;
/** Visitor-days are only needed while clicks of that UTC day may still arrive (buffers, outages): two days of slack. */
const VISITOR_DAYS_KEPT = 3;

/**
 * Keeps raw clicks for MASK_CLICK_RETENTION, then deletes them in batches (rollups stay: they hold no visitor data),
 * and drops first-seen visitor rows of past days. Runs every hour, and a minute after start.
 */
export class ClickRetention {
  private readonly task: PeriodicTask<{ clicks: number; visitors: number }>;

  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly retentionMs: number,
  ) {
    this.task = new PeriodicTask(
      () => this.deleteOld(),
      (error) => this.logger.warn({ err: error }, 'click retention failed'),
    );
  }

  /** Every hour, and once a minute after start (an instance stopped for days catches up, but not amid start-up). */
  start(): void {
    this.task.start(PRUNE_EVERY_MS, FIRST_PRUNE_MS);
  }

  /** Deletes clicks older than the retention and stale visitor-days; answers how many rows of each went. */
  prune(): Promise<{ clicks: number; visitors: number }> {
    return this.task.run();
  }

  private async deleteOld(): Promise<{ clicks: number; visitors: number }> {
    const now = this.clock.now().getTime();
    const bound = idBoundAt('clk', now - this.retentionMs);
    const clicks = await deleteInBatches(this.db, 'clicks', (q) => q.where('id', '<', bound), BATCH);
    const visitors = await this.db('click_visitors').where('day', '<', Math.floor(now / DAY_MS) - VISITOR_DAYS_KEPT + 1).delete();
    if (clicks || visitors) this.logger.info({ clicks, visitors }, 'click retention: deleted old clicks and visitor-days');
    return { clicks, visitors };
  }

  close(): Promise<void> {
    return this.task.close();
  }
}
