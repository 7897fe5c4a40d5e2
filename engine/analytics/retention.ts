import type { Knex } from 'knex';
import { newId } from '../support/ids';
import type { Logger } from '../support/logger';
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
  private timer: NodeJS.Timeout | null = null;
  private first: NodeJS.Timeout | null = null;
  private running: Promise<{ clicks: number; visitors: number }> | null = null;

  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly retentionMs: number,
  ) {}

  start(): void {
    const prune = () => void this.prune().catch((error: unknown) => this.logger.warn({ err: error }, 'click retention failed'));
    this.timer ??= setInterval(prune, PRUNE_EVERY_MS);
    this.timer.unref();
    // Once soon after start too (an instance stopped for days catches up), but not amid start-up's own work.
    this.first ??= setTimeout(prune, FIRST_PRUNE_MS);
    this.first.unref();
  }

  /** Deletes clicks older than the retention and stale visitor-days; answers how many rows of each went. */
  prune(): Promise<{ clicks: number; visitors: number }> {
    this.running ??= this.deleteOld().finally(() => (this.running = null));
    return this.running;
  }

  private async deleteOld(): Promise<{ clicks: number; visitors: number }> {
    const now = this.clock.now().getTime();
    // Click ids start with their time, so `id < bound` means "recorded before", read on the primary key.
    const bound = newId('clk', now - this.retentionMs).slice(0, 'clk_'.length + 10);
    let clicks = 0;
    for (;;) {
      const batch = this.db('clicks').select('id').where('id', '<', bound).limit(BATCH);
      const count = await this.db('clicks').whereIn('id', batch).delete();
      clicks += count;
      if (count < BATCH) break;
    }
    const visitors = await this.db('click_visitors').where('day', '<', Math.floor(now / DAY_MS) - VISITOR_DAYS_KEPT + 1).delete();
    if (clicks || visitors) this.logger.info({ clicks, visitors }, 'click retention: deleted old clicks and visitor-days');
    return { clicks, visitors };
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.first) clearTimeout(this.first);
    this.timer = this.first = null;
    await this.running;
  }
}
