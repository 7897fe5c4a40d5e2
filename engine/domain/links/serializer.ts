import { parseJson } from '../../store/db';
import type { LinkRow } from '../../store/links';
import { toIso } from '../../support/time';
import type { Preview, Variant } from '../routing/types';
import { pixelIdsOf, trackingOf, type LinkOrganizationFields } from './organization';

/**
 * The public link object: seed 000's fields plus `starts_at`, `max_clicks`, `notes` and `password_protected`. Its one
 * description: the response schema (contracts/links.ts) is checked against it and the writable fields derive from it.
 */
export interface PublicLink extends Omit<LinkOrganizationFields, 'pixel_ids'> {
  pixel_ids: string[];
  id: string;
  url: string;
  short_url: string;
  slug: string;
  domain: string;
  title: string | null;
  tags: string[];
  clicks: number;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  starts_at: string | null;
  expires_at: string | null;
  max_clicks: number | null;
  password_protected: boolean;
  ios_target: string | null;
  android_target: string | null;
  notes: string | null;
  external_id: string | null;
  imported_clicks: number;
  /** A/B split: weighted destinations (smart routing), or null. */
  variants: Variant[] | null;
  /** Social preview for link-preview crawlers, or null. */
  preview: Preview | null;
  created_at: string;
  updated_at: string;
}

export const shortUrlOf = (domain: string, slug: string, secure: boolean): string =>
  `${secure ? 'https' : 'http'}://${domain}/${slug}`;

/**
 * The one way a link leaves the engine (API responses, webhook payloads, audit entries). `secure` is the scheme of
 * the link's domain. The password and its hash never appear.
 */
export function serializeLink(row: LinkRow, secure: boolean): PublicLink {
  return {
    id: row.id,
    url: row.url,
    short_url: shortUrlOf(row.domain, row.slug, secure),
    slug: row.slug,
    domain: row.domain,
    title: row.title,
    tags: parseJson<string[]>(row.tags, []),
    clicks: Number(row.clicks),
    utm_source: row.utm_source,
    utm_medium: row.utm_medium,
    utm_campaign: row.utm_campaign,
    starts_at: toIso(row.starts_at),
    expires_at: toIso(row.expires_at),
    max_clicks: row.max_clicks === null ? null : Number(row.max_clicks),
    password_protected: row.password_hash !== null,
    ios_target: row.ios_target,
    android_target: row.android_target,
    notes: row.notes,
    external_id: row.external_id ?? null,
    imported_clicks: Number(row.imported_clicks ?? 0),
    variants: parseJson<Variant[] | null>(row.variants, null),
    preview: parseJson<Preview | null>(row.preview, null),
    folder_id: row.folder_id ?? null,
    campaign_id: row.campaign_id ?? null,
    utm_term: row.utm_term ?? null,
    utm_content: row.utm_content ?? null,
    track_conversions: trackingOf(row),
    pixel_ids: pixelIdsOf(row),
    created_at: toIso(row.created_at) as string,
    updated_at: toIso(row.updated_at) as string,
  };
}
