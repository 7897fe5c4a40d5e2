import { numeric, type ConversionSelection, type ConversionStore } from '../../store/conversions';
import type { LinkOwner } from '../../store/links';
import { answerReport, type ReportQuery } from '../../analytics/report-body';
import type { ConversionAnalytics, ConversionGroupBy } from './analytics';
import type { ConversionSettings } from './settings';
import { serializeConversion, type ConversionTracker, type PublicConversion } from './tracking';

const EXPORT_PAGE = 2_000;

/** A report request, as validated by the contract (contracts/conversions.ts). */
export interface ConversionReportQuery extends ReportQuery<ConversionGroupBy> {
  link_id?: string;
  tag?: string;
  domain?: string;
  campaign_id?: string;
  include_bots: boolean;
}

/** Conversion tracking as the API uses it: settings, ingestion, reports and the export. */
export class Conversions {
  constructor(
    readonly settings: ConversionSettings,
    readonly tracker: ConversionTracker,
    private readonly analytics: ConversionAnalytics,
    private readonly store: ConversionStore,
  ) {}

  async get(owner: LinkOwner, id: string): Promise<PublicConversion | null> {
    const row = await this.store.find(owner, id);
    return row ? serializeConversion(numeric(row)) : null;
  }

  report(owner: LinkOwner, query: ConversionReportQuery, now: number, flushClicks: () => Promise<void>) {
    const filters = { linkId: query.link_id, tag: query.tag, domain: query.domain, campaignId: query.campaign_id, includeBots: query.include_bots };
    return answerReport(this.analytics, owner, query, filters, now, flushClicks);
  }

  /** Conversions of a range, oldest first, read in pages by keyset. */
  async *exported(owner: LinkOwner, selection: ConversionSelection, start: number, end: number): AsyncGenerator<PublicConversion> {
    let after: { at: number; id: string } | null = null;
    for (;;) {
      const rows = await this.store.page(owner, selection, start, end, after, EXPORT_PAGE);
      for (const row of rows) yield serializeConversion(row);
      if (rows.length < EXPORT_PAGE) return;
      const last = rows[rows.length - 1];
      after = { at: last.created_at, id: last.id };
    }
  }
}
