import { stringify } from 'csv-stringify/sync';
import type { LinkExportStore } from '../../store/link-export';
import type { LinkOwner } from '../../store/links';
import type { LinkDomains } from '../links/domains';
import { serializeLink, type PublicLink } from '../links/serializer';

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Every field of the link object, in the order of the CSV columns (the generic CSV import reads them back). */
export const EXPORT_COLUMNS = [
  'id', 'url', 'short_url', 'slug', 'domain', 'title', 'tags', 'clicks', 'imported_clicks', 'utm_source', 'utm_medium',
  'utm_campaign', 'starts_at', 'expires_at', 'max_clicks', 'password_protected', 'ios_target', 'android_target', 'notes',
  'external_id', 'created_at', 'updated_at',
] as const satisfies ReadonlyArray<keyof PublicLink>;

const BATCH = 1000;

/** Tags as one cell: "a|b", or a JSON array when a tag holds "|" or "," (so the import reads them back exactly). */
const tagsCell = (tags: string[]): string => (tags.some((tag) => /[|,]/.test(tag)) ? JSON.stringify(tags) : tags.join('|'));

const csvCell = (link: PublicLink, column: (typeof EXPORT_COLUMNS)[number]): string => {
  const value = link[column];
  if (column === 'tags') return tagsCell(value as string[]);
  return value === null ? '' : String(value);
};

export const MEDIA_TYPES: Record<ExportFormat, string> = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' };

/** An owner's links as CSV or JSON text, produced batch by batch so a large workspace is never held in memory. */
export class LinksExport {
  constructor(
    private readonly store: LinkExportStore,
    private readonly domains: LinkDomains,
  ) {}

  async *chunks(owner: LinkOwner, format: ExportFormat, onRows: (count: number) => void = () => undefined): AsyncGenerator<string> {
    const domains = await this.domains.forWorkspace(owner.workspaceId);
    yield format === 'csv' ? stringify([[...EXPORT_COLUMNS]]) : '[';
    let afterId: string | null = null;
    let first = true;
    for (;;) {
      const rows = await this.store.batch(owner, afterId, BATCH);
      if (rows.length === 0) break;
      afterId = rows[rows.length - 1].id;
      const links = rows.map((row) => serializeLink(row, domains.isSecure(row.domain)));
      onRows(links.length);
      if (format === 'csv') {
        yield stringify(links.map((link) => EXPORT_COLUMNS.map((column) => csvCell(link, column))));
      } else {
        yield (first ? '' : ',') + links.map((link) => JSON.stringify(link)).join(',');
        first = false;
      }
      if (rows.length < BATCH) break;
    }
    if (format === 'json') yield ']\n';
  }
}
