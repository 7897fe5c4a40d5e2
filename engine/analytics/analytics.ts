import type { ClickExport } from './export';
import type { AnalyticsQueries } from './queries';
import type { ClickRetention } from './retention';

/** What the analytics routes and the CLI use of click analytics (built by wiring/analytics.ts). */
export interface Analytics {
  queries: AnalyticsQueries;
  exports: ClickExport;
  retention: ClickRetention;
  /** Writes the clicks this process still buffers, so a report includes clicks made just before it. */
  flushClicks(): Promise<void>;
}
