import type { Knex } from 'knex';
import { asBool } from '../store/db';
import { LinkStore, type LinkOwner } from '../store/links';
import { notFound } from '../support/errors';
import type { ClickFilters } from './queries';

/** The exported fields of a click, in CSV column order. No address is stored, so none can be exported. */
export const EXPORT_COLUMNS = ['id', 'timestamp', 'link_id', 'domain', 'slug', 'referrer', 'referrer_host', 'country', 'device', 'browser', 'os', 'bot', 'head'] as const;
export type ExportedClick = Record<(typeof EXPORT_COLUMNS)[number], string | boolean | null>;

const PAGE = 2_000;

interface ClickRow {
  id: string;
  created_at: number | string;
  link_id: string;
  referrer: string | null;
  referrer_host: string | null;
  country: string | null;
  device: string;
  browser: string | null;
  os: string | null;
  is_bot: unknown;
  is_head: unknown;
}

/** `link`: the clicked link's address, none once the link is deleted. */
const exported = (row: ClickRow, link: { domain: string; slug: string } | undefined): ExportedClick => ({
  id: row.id,
  timestamp: new Date(Number(row.created_at)).toISOString(),
  link_id: row.link_id,
  domain: link?.domain ?? null,
  slug: link?.slug ?? null,
  referrer: row.referrer,
  referrer_host: row.referrer_host,
  country: row.country,
  device: row.device,
  browser: row.browser,
  os: row.os,
  bot: asBool(row.is_bot),
  head: asBool(row.is_head),
});

/** One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled; null is empty. */
export function csvField(value: string | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (values: Array<string | boolean | null>): string => `${values.map(csvField).join(',')}\r\n`;

/**
 * Raw clicks of a range, oldest first, read in pages of a few thousand by keyset on (created_at, id): memory stays flat
 * however many clicks there are, and no page holds the database (SQLite's single connection) for long.
 */
export class ClickExport {
  /** `db` alone: the link store is built on it (analytics/index.ts constructs it that way). */
  constructor(
    private readonly db: Knex,
    private readonly links: LinkStore,
  ) {}

  /** Checks that the link filter names one of the owner's links (404 otherwise) before any byte is sent. */
  async check(owner: LinkOwner, filters: ClickFilters): Promise<void> {
    if (!filters.linkId) return;
    if (!(await this.links.locate(owner, filters.linkId))) throw notFound('Link');
  }

  async *clicks(owner: LinkOwner, filters: ClickFilters, start: number, end: number): AsyncGenerator<ExportedClick> {
    let after: { at: number; id: string } | null = null;
    for (;;) {
      const query = this.db('clicks')
        .where({ 'clicks.workspace_id': owner.workspaceId, 'clicks.mode': owner.mode })
        .where('clicks.created_at', '>=', start)
        .where('clicks.created_at', '<', end);
      if (filters.linkId) query.where('clicks.link_id', filters.linkId);
      if (filters.tag) query.whereIn('clicks.link_id', this.links.taggedIds(owner, filters.tag));
      if (filters.domain) query.whereIn('clicks.link_id', this.links.idsOnDomain(filters.domain));
      if (!filters.includeBots) query.whereRaw('NOT clicks.is_bot AND NOT clicks.is_head');
      if (after) query.whereRaw('(clicks.created_at, clicks.id) > (?, ?)', [after.at, after.id]);
      const rows: ClickRow[] = await query
        .orderBy([{ column: 'clicks.created_at' }, { column: 'clicks.id' }])
        .limit(PAGE)
        .select(
          'clicks.id', 'clicks.created_at', 'clicks.link_id', 'clicks.referrer', 'clicks.referrer_host', 'clicks.country',
          'clicks.device', 'clicks.browser', 'clicks.os', 'clicks.is_bot', 'clicks.is_head',
        );
      const links = await this.links.addresses([...new Set(rows.map((row) => row.link_id))]);
      for (const row of rows) yield exported(row, links.get(row.link_id));
      if (rows.length < PAGE) return;
      const last = rows[rows.length - 1];
      after = { at: Number(last.created_at), id: last.id };
    }
  }
}
