import type { ClickRecorder } from '../clicks';
import type { Foundation } from '../services';
import { ClickExport } from './export';
import { AnalyticsQueries } from './queries';
import { clickRetention, type ClickRetention } from './retention';

export interface Analytics {
  queries: AnalyticsQueries;
  exports: ClickExport;
  retention: ClickRetention;
  /** Writes the clicks this process still buffers, so a report includes clicks made just before it. */
  flushClicks(): Promise<void>;
}

/**
 * Click analytics: reports read the rollups (written by RollupWriter, which services.ts hangs on the click flusher's
 * publish point), the export reads raw clicks, and retention prunes raw clicks.
 */
export function createAnalytics({ config, db, clock, logger, lifecycle }: Foundation, clicks: ClickRecorder): Analytics {
  const retention = clickRetention(db, clock, logger, config.clickRetention);
  lifecycle.onStart(() => retention.start());
  lifecycle.onClose(() => retention.close());
  return {
    queries: new AnalyticsQueries(db),
    exports: new ClickExport(db),
    retention,
    // A database that refuses writes fails the flush; the report then answers from what is committed.
    flushClicks: () => clicks.flush().catch(() => undefined),
  };
}
