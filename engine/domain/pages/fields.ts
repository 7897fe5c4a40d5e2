import type { ThemeName } from './themes';

/** An item to write: a link of the workspace (`link_id`) or any URL, for which the page manages a link. */
export interface PageItemDraft {
  label: string;
  link_id?: string;
  url?: string | null;
}

/** A page to create, as validated input (text normalised, '' already null); no domain → the workspace default. */
export interface PageDraft {
  handle: string;
  domain?: string | null;
  title?: string | null;
  description?: string | null;
  avatar_url?: string | null;
  theme: ThemeName;
  items: PageItemDraft[];
}

/** A partial update: absent fields stay, null clears; `items` replaces the list. */
export type PagePatch = Partial<PageDraft>;
