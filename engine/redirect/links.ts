import type { ClickedLink } from '../clicks';
import type { RedirectLinkRow } from '../store/links';
import { destinationOf } from './destination';
import { pixelPageOf, type PixelPage, type PixelSpec } from './pixel-page';
import { pixelIdsOf, trackingOf } from '../domain/links/organization';
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
  /** The query parameter each redirect appends a fresh click id as; null: none (conversion tracking off). */
  clickIdParam: string | null;
  /** The interstitial page of a link with retargeting pixels; null: a plain redirect. */
  pixelPage: PixelPage | null;
}

/** What a link's conversion tracking and pixels depend on besides its row (read when the link is loaded). */
export interface LinkExtras {
  tracking(owner: { workspaceId: string; mode: RedirectLinkRow['mode'] }): Promise<{ track_conversions: boolean; click_id_param: string }>;
  pixels(owner: { workspaceId: string; mode: RedirectLinkRow['mode'] }, ids: string[]): Promise<PixelSpec[]>;
}

export const shortUrlOf = (domain: KnownDomain, slug: string): string =>
  `${domain.secure ? 'https' : 'http'}://${domain.hostname}/${slug}`;

export function toResolvedLink(row: RedirectLinkRow, domain: KnownDomain, clickIdParam: string | null = null, pixels: PixelSpec[] = []): ResolvedLink {
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
    clickIdParam,
    pixelPage: pixels.length ? pixelPageOf(pixels) : null,
  };
}

/** A redirect row as the cache keeps it, with what its conversion tracking and pixels need. */
export async function resolveLink(row: RedirectLinkRow, domain: KnownDomain, extras?: LinkExtras): Promise<ResolvedLink> {
  if (!extras) return toResolvedLink(row, domain);
  const owner = { workspaceId: row.workspace_id, mode: row.mode };
  const tracking = await extras.tracking(owner);
  const pixelIds = pixelIdsOf(row);
  const pixels = pixelIds.length ? await extras.pixels(owner, pixelIds) : [];
  // A link in a campaign tracks conversions unless it says otherwise: attributing sales is what campaigns are for.
  const tracked = trackingOf(row) ?? (tracking.track_conversions || row.campaign_id !== null);
  return toResolvedLink(row, domain, tracked ? tracking.click_id_param : null, pixels);
}
