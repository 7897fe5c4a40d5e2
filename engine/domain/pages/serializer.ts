import { asBool } from '../../store/db';
import type { ItemView, PageRow } from '../../store/pages';
import { toIso } from '../../support/time';
import type { WorkspaceDomainSet } from '../links/domains';
import { shortUrlOf } from '../links/serializer';
import type { ThemeName } from './themes';

/** The public prefix of bio pages: `/p/{handle}` (reserved as a slug, so no link can take it). */
export const PAGE_PATH_PREFIX = '/p/';

/** An item of a page: exactly one of `link_id` (a link item) and `url` (a URL item) is present. */
export interface PublicPageItem {
  label: string;
  link_id?: string;
  url?: string;
  short_url: string;
  clicks: number;
}

/** The public page object; the response schema (contracts/pages.ts) is checked against it. */
export interface PublicPage {
  id: string;
  handle: string;
  domain: string;
  title: string | null;
  description: string | null;
  avatar_url: string | null;
  theme: ThemeName;
  items: PublicPageItem[];
  published: boolean;
  published_at: string | null;
  public_url: string;
  created_at: string;
  updated_at: string;
}

export const publicUrlOf = (domain: string, handle: string, secure: boolean): string =>
  `${secure ? 'https' : 'http'}://${domain}${PAGE_PATH_PREFIX}${handle}`;

/** An item as the API shows it: a URL item hides the link the page manages for it. */
export function serializeItem(item: ItemView, domains: WorkspaceDomainSet): PublicPageItem {
  const shared = { short_url: shortUrlOf(item.domain, item.slug, domains.isSecure(item.domain)), clicks: Number(item.clicks) };
  return item.link_page_id === item.page_id
    ? { label: item.label, url: item.url, ...shared }
    : { label: item.label, link_id: item.link_id, ...shared };
}

/** The one way a page leaves the engine (API responses, `page.published` payloads, audit entries). */
export function serializePage(row: PageRow, items: ItemView[], domains: WorkspaceDomainSet): PublicPage {
  return {
    id: row.id,
    handle: row.handle,
    domain: row.domain,
    title: row.title,
    description: row.description,
    avatar_url: row.avatar_url,
    // Written only from the request schema's enum of theme names.
    theme: row.theme as ThemeName,
    items: items.map((item) => serializeItem(item, domains)),
    published: asBool(row.published),
    published_at: toIso(row.published_at),
    public_url: publicUrlOf(row.domain, row.handle, domains.isSecure(row.domain)),
    created_at: toIso(row.created_at) as string,
    updated_at: toIso(row.updated_at) as string,
  };
}
