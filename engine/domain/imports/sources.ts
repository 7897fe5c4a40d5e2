import { canonicalHost } from '../hostnames';
import { normalizeName, type SourceRecord } from './records';

export const IMPORT_SOURCES = ['bitly', 'kutt', 'shlink', 'yourls', 'rebrandly', 'csv'] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];

/** The link fields a generic CSV may carry (the columns of `GET /links/export?format=csv`), for its column mapping. */
export const GENERIC_FIELDS = [
  'id', 'url', 'short_url', 'slug', 'domain', 'title', 'tags', 'clicks', 'imported_clicks', 'utm_source', 'utm_medium',
  'utm_campaign', 'starts_at', 'expires_at', 'max_clicks', 'ios_target', 'android_target', 'notes', 'external_id', 'created_at',
] as const;
export type GenericField = (typeof GENERIC_FIELDS)[number];

/** One row of a source, as link input: `fields` are validated like the body of POST /links. */
export interface SourceRow {
  /** The row's identity in its source (original id, or domain and slug): importing it again finds the same link. */
  key: string;
  fields: Record<string, unknown>;
  /** The short URL's host in the source; kept when the workspace has that domain. */
  domain: string | null;
  createdAt: number | null;
  /** Past clicks: the imported baseline. */
  clicks: number;
  /** A value that could not be read (a date, a click count): a per-row error for this field. */
  problems: Array<{ field: string; message: string }>;
}

export interface SourceOptions {
  /** Generic CSV: link field → the file's column name. */
  mapping?: Partial<Record<GenericField, string>>;
}

/** Reads one field by its aliases (normalized names), first non-empty wins. */
const pick = (record: SourceRecord, ...names: string[]): unknown => {
  for (const name of names) {
    const value = record.get(name);
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
};

const text = (value: unknown): string | undefined => (value === undefined ? undefined : String(value).trim() || undefined);

/** "bit.ly/abc", "https://go.acme.com/abc" → host and slug; anything else → null. */
function splitShortUrl(value: unknown): { domain: string; slug: string } | null {
  const raw = text(value);
  if (!raw) return null;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
    const slug = decodeURIComponent(url.pathname.replace(/^\/+/, '').replace(/\/+$/, ''));
    const domain = canonicalHost(url.host);
    return domain && slug && !slug.includes('/') ? { domain, slug } : null;
  } catch {
    return null;
  }
}

/** Tags as an array (JSON array, objects with a name), or text split on "|" (or "," when there is no "|"). */
function readTags(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map((tag) => (typeof tag === 'object' && tag !== null ? String((tag as { name?: unknown }).name ?? '') : String(tag))).map((tag) => tag.trim()).filter(Boolean);
  const raw = String(value).trim();
  if (raw.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed)) return readTags(parsed);
    } catch {
      // Not JSON: read as text.
    }
  }
  return raw.split(raw.includes('|') ? '|' : ',').map((tag) => tag.trim()).filter(Boolean);
}

/**
 * A date of an export: ISO 8601 (a missing zone is UTC, as YOURLS' "2024-01-31 12:00:00"), or Unix seconds or
 * milliseconds. undefined when absent, NaN when unreadable.
 */
function readDate(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' || /^\d{9,13}$/.test(String(value).trim())) {
    const n = Number(value);
    return n < 1e11 ? n * 1000 : n;
  }
  let raw = String(value).trim();
  if (/^\d{4}-\d{2}-\d{2} \d/.test(raw)) raw = raw.replace(' ', 'T');
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) raw += 'T00:00:00Z';
  else if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(raw)) raw += 'Z';
  // Other forms ("Jan 5, 2023") without a zone are read as UTC too, not in the server's zone.
  else if (!/T|Z$|[+-]\d{2}:?\d{2}$|GMT|UTC/.test(raw)) raw += ' UTC';
  return new Date(raw).getTime();
}

/** A whole click count, or NaN. */
const readCount = (value: unknown): number | undefined => {
  if (value === undefined) return undefined;
  const raw = String(value).trim().replace(/[,_ ]/g, '');
  return /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
};

const isoOrRaw = (value: unknown): unknown => {
  const at = readDate(value);
  return at === undefined ? undefined : Number.isNaN(at) ? value : new Date(at).toISOString();
};

interface Extracted {
  key?: string;
  url: unknown;
  slug?: string;
  shortUrl?: unknown;
  domain?: unknown;
  title?: unknown;
  tags?: unknown;
  notes?: unknown;
  created?: unknown;
  clicks?: unknown[];
  extra?: Record<string, unknown>;
}

/** Each source's column names, from its documented export (CSV) and API list (JSON) formats. */
const EXTRACTORS: Record<Exclude<ImportSource, 'csv'>, (r: SourceRecord) => Extracted> = {
  // Bitly's CSV export and its v4 API: long_url, link / id ("bit.ly/abc"), custom_bitlinks (the branded back-half),
  // title, tags, created_at, and the click total when the export carries it.
  bitly: (r) => {
    const custom = pick(r, 'custombitlinks', 'custombitlink', 'customlinks', 'customlink', 'custombackhalf', 'backhalf');
    const firstCustom = Array.isArray(custom) ? custom[0] : text(custom)?.split(/[,\s|]+/)[0];
    const link = pick(r, 'link', 'bitlink', 'bitlylink', 'shortlink', 'shorturl', 'shortenedlink', 'id');
    return {
      key: text(pick(r, 'id', 'bitlink', 'bitlylink', 'link', 'shortlink', 'shorturl')),
      url: pick(r, 'longurl', 'destination', 'destinationurl', 'originalurl', 'url'),
      shortUrl: firstCustom ?? link,
      title: pick(r, 'title'),
      tags: pick(r, 'tags', 'tag'),
      created: pick(r, 'createdat', 'created', 'datecreated', 'creationdate', 'createddate'),
      clicks: [pick(r, 'clicks', 'totalclicks', 'engagements', 'totalengagements', 'clickcount')],
    };
  },
  // Kutt's API v2 list (GET /api/v2/links): id, address, target, description, domain, visit_count, created_at, expire_in.
  kutt: (r) => ({
    key: text(pick(r, 'id', 'uuid')),
    url: pick(r, 'target'),
    slug: text(pick(r, 'address')),
    shortUrl: pick(r, 'link', 'shortlink'),
    domain: pick(r, 'domain'),
    title: pick(r, 'description', 'title'),
    tags: pick(r, 'tags'),
    created: pick(r, 'createdat'),
    clicks: [pick(r, 'visitcount', 'visits')],
    extra: { expires_at: isoOrRaw(pick(r, 'expirein', 'expiresat')) },
  }),
  // Shlink's API (shortUrls.data: shortCode, longUrl, dateCreated, visitsSummary.total / visitsCount, tags, domain,
  // title, meta.validSince / validUntil / maxVisits) and its web client's CSV export (shortUrl, longUrl, createdAt,
  // title, tags "a|b", visits).
  shlink: (r) => ({
    url: pick(r, 'longurl'),
    slug: text(pick(r, 'shortcode')),
    shortUrl: pick(r, 'shorturl'),
    domain: pick(r, 'domain'),
    title: pick(r, 'title'),
    tags: pick(r, 'tags'),
    created: pick(r, 'datecreated', 'createdat'),
    clicks: [pick(r, 'visitssummarytotal', 'visitscount', 'visits')],
    extra: {
      starts_at: isoOrRaw(pick(r, 'metavalidsince', 'validsince')),
      expires_at: isoOrRaw(pick(r, 'metavaliduntil', 'validuntil')),
      max_clicks: readCount(pick(r, 'metamaxvisits', 'maxvisits')),
    },
  }),
  // YOURLS' yourls_url table as exported (keyword, url, title, timestamp, ip, clicks) and its stats API (shorturl).
  yourls: (r) => ({
    url: pick(r, 'url', 'longurl'),
    slug: text(pick(r, 'keyword')),
    shortUrl: pick(r, 'shorturl'),
    title: pick(r, 'title'),
    created: pick(r, 'timestamp', 'date'),
    clicks: [pick(r, 'clicks')],
  }),
  // Rebrandly's link list (id, title, slashtag, destination, shortUrl, domain.fullName, createdAt, clicks) and its CSV
  // export of the same fields.
  rebrandly: (r) => ({
    key: text(pick(r, 'id', 'linkid')),
    url: pick(r, 'destination', 'destinationurl', 'longurl'),
    slug: text(pick(r, 'slashtag')),
    shortUrl: pick(r, 'shorturl', 'shortlink'),
    domain: pick(r, 'domainfullname', 'domainname', 'domain'),
    title: pick(r, 'title'),
    tags: pick(r, 'tags'),
    notes: pick(r, 'description', 'notes'),
    created: pick(r, 'createdat', 'created', 'creationdate'),
    clicks: [pick(r, 'clicks', 'totalclicks')],
  }),
};

const LINK_TEXT_FIELDS = ['utm_source', 'utm_medium', 'utm_campaign', 'ios_target', 'android_target', 'external_id'] as const;

/** The generic CSV: the columns of MASK's own export, or others named by `mapping`. */
function generic(r: SourceRecord, options: SourceOptions): Extracted {
  const column = (field: GenericField) => normalizeName(options.mapping?.[field] ?? field);
  const get = (field: GenericField) => pick(r, column(field));
  const extra: Record<string, unknown> = {};
  for (const field of LINK_TEXT_FIELDS) extra[field] = get(field);
  extra.starts_at = isoOrRaw(get('starts_at'));
  extra.expires_at = isoOrRaw(get('expires_at'));
  const maxClicks = get('max_clicks');
  extra.max_clicks = maxClicks === undefined ? undefined : (readCount(maxClicks) ?? maxClicks);
  return {
    key: text(get('external_id')) ?? text(get('id')),
    url: get('url'),
    slug: text(get('slug')),
    shortUrl: get('short_url'),
    domain: get('domain'),
    title: get('title'),
    tags: get('tags'),
    notes: get('notes'),
    created: get('created_at'),
    clicks: [get('clicks'), get('imported_clicks')],
    extra,
  };
}

/** The column a source cannot do without, to refuse a file of another format at once. */
export function urlColumns(source: ImportSource, options: SourceOptions): string[] {
  switch (source) {
    case 'bitly':
      return ['longurl', 'destination', 'destinationurl', 'originalurl', 'url'];
    case 'kutt':
      return ['target'];
    case 'shlink':
      return ['longurl'];
    case 'yourls':
      return ['url', 'longurl'];
    case 'rebrandly':
      return ['destination', 'destinationurl', 'longurl'];
    case 'csv':
      return [normalizeName(options.mapping?.url ?? 'url')];
  }
}

/** One record of `source` as link input. */
export function readRow(source: ImportSource, record: SourceRecord, options: SourceOptions): SourceRow {
  const e = source === 'csv' ? generic(record, options) : EXTRACTORS[source](record);
  const problems: SourceRow['problems'] = [];
  const short = splitShortUrl(e.shortUrl);
  const slug = e.slug ?? short?.slug;
  const domainText = text(e.domain);
  const domain = (domainText && canonicalHost(domainText)) || short?.domain || null;
  const createdAt = readDate(e.created);
  if (createdAt !== undefined && Number.isNaN(createdAt)) problems.push({ field: 'created_at', message: `Not a date: ${String(e.created)}` });
  let clicks = 0;
  for (const value of e.clicks ?? []) {
    const count = readCount(value);
    if (count === undefined) continue;
    if (Number.isNaN(count)) problems.push({ field: 'clicks', message: `Not a whole number of clicks: ${String(value)}` });
    else clicks += count;
  }
  const fields: Record<string, unknown> = { url: typeof e.url === 'string' ? e.url.trim() : e.url };
  if (slug) fields.slug = slug;
  if (e.title !== undefined) fields.title = String(e.title);
  if (e.notes !== undefined) fields.notes = String(e.notes);
  const tags = readTags(e.tags);
  if (tags?.length) fields.tags = tags;
  for (const [field, value] of Object.entries(e.extra ?? {})) if (value !== undefined) fields[field] = value;
  const key = e.key ?? (slug ? `${domain ?? ''}/${slug}` : JSON.stringify([fields.url, fields.title ?? null, e.created ?? null]));
  return { key, fields, domain, createdAt: createdAt !== undefined && !Number.isNaN(createdAt) ? createdAt : null, clicks, problems };
}
