import type { AnalyticsStore } from '../store/analytics';
import { idBoundAt } from '../store/pruning';
import type { Logger } from '../support/logger';
import { PeriodicTask } from '../support/periodic-task';
import type { Clock } from '../support/time';
import { DAY_MS } from './zone';

const BATCH = 5_000;
/** Visitor-days are only needed while clicks of that UTC day may still arrive (buffers, outages): two days of slack. */
const VISITOR_DAYS_KEPT = 3;

/** run() deletes at once and answers how many rows of each kind went. */
export type ClickRetention = PeriodicTask<{ clicks: number; visitors: number }>;

/**
 * Keeps raw clicks for MASK_CLICK_RETENTION, then deletes them in batches (rollups stay: they hold no visitor data),
 * and drops first-seen visitor rows of past days. Every hour once started, and a minute after start (an instance
 * stopped for days catches up, but not amid start-up).
 */
export function clickRetention(store: AnalyticsStore, clock: Clock, logger: Logger, retentionMs: number): ClickRetention {
  const deleteOld = async () => {
    const now = clock.now().getTime();
    const bound = idBoundAt('clk', now - retentionMs);
    const clicks = await store.deleteClicksBefore(bound, BATCH);
    const visitors = await store.deleteVisitorDaysBefore(Math.floor(now / DAY_MS) - VISITOR_DAYS_KEPT + 1);
    if (clicks || visitors) logger.info({ clicks, visitors }, 'click retention: deleted old clicks and visitor-days');
    return { clicks, visitors };
  };
  return new PeriodicTask(deleteOld, {
    everyMs: 3_600_000,
    firstMs: 60_000,
    onError: (error) => logger.warn({ err: error }, 'click retention failed'),
  });
}
