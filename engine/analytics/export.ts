import type { AnalyticsStore, StoredClick } from '../store/analytics';
import type { LinkOwner, LinkStore } from '../store/links';
import { notFound } from '../support/errors';
import type { ClickFilters } from './queries';

/** The exported fields of a click, in CSV column order. No address is stored, so none can be exported. */
export const EXPORT_COLUMNS = ['id', 'timestamp', 'link_id', 'domain', 'slug', 'referrer', 'referrer_host', 'country', 'device', 'browser', 'os', 'bot', 'head', 'rule_id', 'variant'] as const;
export type ExportedClick = Record<(typeof EXPORT_COLUMNS)[number], string | boolean | null>;

/** Stored rows read per query, whoever's they are (see AnalyticsStore.clickSlice). */
const SLICE = 5_000;

/** `link`: the clicked link's address, none once the link is deleted. */
const exported = (click: StoredClick, link: { domain: string; slug: string } | undefined): ExportedClick => ({
  id: click.id,
  timestamp: new Date(click.createdAt).toISOString(),
  link_id: click.linkId,
  domain: link?.domain ?? null,
  slug: link?.slug ?? null,
  referrer: click.referrer,
  referrer_host: click.referrerHost,
  country: click.country,
  device: click.device,
  browser: click.browser,
  os: click.os,
  bot: click.bot,
  head: click.head,
  rule_id: click.ruleId,
  variant: click.variant,
});

/** One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled; null is empty. */
export function csvField(value: string | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (values: Array<string | boolean | null>): string => `${values.map(csvField).join(',')}\r\n`;

/**
 * Raw clicks of a range, oldest first, read in slices of a few thousand stored rows by keyset on the click id: memory
 * stays flat however many clicks there are, and no slice holds the database (SQLite's single connection) for long.
 */
export class ClickExport {
  constructor(
    private readonly store: AnalyticsStore,
    private readonly links: LinkStore,
    private readonly slice = SLICE,
  ) {}

  /** Checks that the link filter names one of the owner's links (404 otherwise) before any byte is sent. */
  async check(owner: LinkOwner, filters: ClickFilters): Promise<void> {
    if (!filters.linkId) return;
    if (!(await this.links.locate(owner, filters.linkId))) throw notFound('Link');
  }

  async *clicks(owner: LinkOwner, filters: ClickFilters, start: number, end: number): AsyncGenerator<ExportedClick> {
    let after: string | null = null;
    do {
      const { clicks, next } = await this.store.clickSlice(owner, filters, start, end, after, this.slice);
      const links = await this.links.addresses([...new Set(clicks.map((click) => click.linkId))]);
      for (const click of clicks) yield exported(click, links.get(click.linkId));
      after = next;
    } while (after !== null);
  }
}
