import type { ClickedLink } from '../clicks';
import type { RedirectLinkRow } from '../store/links';
import { destinationOf } from './destination';
import type { KnownDomain } from './hosts';
import type { LinkRouting } from './routing';

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
  /** Rules, A/B split and social preview (smart routing); null when the link has none, so it pays nothing for them. */
  routing: LinkRouting | null;
}

export const shortUrlOf = (domain: KnownDomain, slug: string): string =>
  `${domain.secure ? 'https' : 'http'}://${domain.hostname}/${slug}`;

export function toResolvedLink(row: RedirectLinkRow, domain: KnownDomain): ResolvedLink {
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
    routing: null,
  };
}
