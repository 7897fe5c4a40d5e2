import type { Knex } from 'knex';
import type { ClickedLink } from '../clicks';
import type { LinkRow as StoredLinkRow } from '../domain/links/serializer';
import { destinationOf } from './destination';
import type { KnownDomain } from './hosts';

/** A link as the redirect path needs it, with its destinations computed once when it is loaded. */
export interface ResolvedLink extends ClickedLink {
  /** The destination with the link's UTM parameters. */
  destination: string;
  iosDestination: string | null;
  androidDestination: string | null;
  startsAt: number | null;
  expiresAt: number | null;
  passwordHash: string | null;
  passwordVersion: number;
  /** `links.clicks` when this entry was loaded. */
  clicks: number;
  /** What its clicks carry: the same object for every click, so a batch copied to the click writer holds it once. */
  clicked: ClickedLink;
}

const COLUMNS = [
  'id', 'workspace_id', 'mode', 'domain', 'slug', 'url', 'utm_source', 'utm_medium', 'utm_campaign', 'ios_target',
  'android_target', 'starts_at', 'expires_at', 'max_clicks', 'password_hash', 'password_version', 'clicks',
] as const;

/** The columns of a link the redirect path reads. */
type LinkRow = Pick<StoredLinkRow, (typeof COLUMNS)[number]>;



export const shortUrlOf = (domain: KnownDomain, slug: string): string =>
  `${domain.secure ? 'https' : 'http'}://${domain.hostname}/${slug}`;

export function toResolvedLink(row: LinkRow, domain: KnownDomain): ResolvedLink {
  const target = (url: string | null) => (url ? destinationOf(url, row) : null);
  const clicked: ClickedLink = {
    id: row.id,
    workspaceId: row.workspace_id,
    mode: row.mode,
    domain: row.domain,
    slug: row.slug,
    shortUrl: shortUrlOf(domain, row.slug),
    maxClicks: row.max_clicks,
  };
  return {
    ...clicked,
    clicked,
    destination: destinationOf(row.url, row),
    iosDestination: target(row.ios_target),
    androidDestination: target(row.android_target),
    startsAt: row.starts_at,
    expiresAt: row.expires_at,
    passwordHash: row.password_hash || null,
    passwordVersion: row.password_version,
    clicks: row.clicks,
  };
}

/** The link at `domain`/`slug` (slugs are case-sensitive), or null. */
export async function findLink(db: Knex, domain: KnownDomain, slug: string): Promise<ResolvedLink | null> {
  const row: LinkRow | undefined = await db('links').select([...COLUMNS]).where({ domain: domain.hostname, slug }).first();
  return row ? toResolvedLink(row, domain) : null;
}
