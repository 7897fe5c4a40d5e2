import { ClickExport } from '../analytics/export';
import { AnalyticsQueries } from '../analytics/queries';
import { clickRetention } from '../analytics/retention';
import type { Analytics } from '../analytics/analytics';
import type { ClickRecorder } from '../clicks';
import { AnalyticsStore } from '../store/analytics';
import type { LinkStore } from '../store/links';
import type { Foundation } from './foundation';

/**
 * Click analytics: reports read the rollups (written by RollupWriter, which wiring/clicks.ts hangs on the click
 * flusher's publish point), the export reads raw clicks, and retention prunes raw clicks.
 */
export function wireAnalytics({ config, db, clock, logger, lifecycle }: Foundation, clicks: ClickRecorder, linkStore: LinkStore): Analytics {
  const store = new AnalyticsStore(db);
  const retention = clickRetention(store, clock, logger, config.clickRetention);
  lifecycle.onStart(() => retention.start());
  lifecycle.onClose(() => retention.close());
  return {
    queries: new AnalyticsQueries(store, linkStore),
    exports: new ClickExport(store, linkStore),
    retention,
    // A database that refuses writes fails the flush; the report then answers from what is committed.
    flushClicks: () => clicks.flush().catch(() => undefined),
  };
}
