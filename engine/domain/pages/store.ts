import type { Knex } from 'knex';
import type { LinkOwner } from '../links/store';
import type { Mode } from '../scopes';
import type { ThemeName } from './themes';

/** A row of `pages`. Times are epoch milliseconds. */
export interface PageRow {
  id: string;
  workspace_id: string;
  mode: Mode;
  domain: string;
  handle: string;
  title: string | null;
  description: string | null;
  avatar_url: string | null;
  theme: ThemeName;
  published: boolean | number;
  published_at: number | null;
  created_at: number;
  updated_at: number;
}

/** An item with the link it points at. `link_page_id` equals the page's id when the page manages the link (URL items). */
export interface ItemView {
  page_id: string;
  position: number;
  label: string;
  link_id: string;
  link_page_id: string | null;
  url: string;
  domain: string;
  slug: string;
  clicks: number;
  starts_at: number | null;
  expires_at: number | null;
  max_clicks: number | null;
}

/** What a managed link needs; every other column keeps its default (no tags, no UTM, no password, no schedule). */
export interface ManagedLinkRow {
  id: string;
  workspace_id: string;
  mode: Mode;
  page_id: string;
  domain: string;
  slug: string;
  url: string;
  title: string;
  created_at: number;
  updated_at: number;
}

const ITEM_COLUMNS = [
  'page_items.page_id',
  'page_items.position',
  'page_items.label',
  'page_items.link_id',
  'links.page_id as link_page_id',
  'links.url',
  'links.domain',
  'links.slug',
  'links.clicks',
  'links.starts_at',
  'links.expires_at',
  'links.max_clicks',
];

/** The SQL of bio pages and their items. */
export class PageStore {
  find(db: Knex, owner: LinkOwner, id: string, forUpdate = false): Promise<PageRow | undefined> {
    const query = db<PageRow>('pages').where({ id, workspace_id: owner.workspaceId, mode: owner.mode });
    return forUpdate ? query.forUpdate().first() : query.first();
  }

  findPublished(db: Knex, domain: string, handle: string): Promise<PageRow | undefined> {
    return db<PageRow>('pages').where({ domain, handle, published: true }).first();
  }

  async handleTaken(db: Knex, domain: string, handle: string, exceptId?: string): Promise<boolean> {
    const query = db('pages').where({ domain, handle });
    if (exceptId) query.whereNot('id', exceptId);
    return (await query.first('id')) !== undefined;
  }

  /** The items of several pages, each page's in order. */
  async items(db: Knex, pageIds: string[]): Promise<Map<string, ItemView[]>> {
    const byPage = new Map<string, ItemView[]>(pageIds.map((id) => [id, []]));
    if (pageIds.length === 0) return byPage;
    const rows: ItemView[] = await db('page_items')
      .join('links', 'links.id', 'page_items.link_id')
      .whereIn('page_items.page_id', pageIds)
      .orderBy([{ column: 'page_items.page_id' }, { column: 'page_items.position' }])
      .select(ITEM_COLUMNS);
    for (const row of rows) byPage.get(row.page_id)?.push({ ...row, clicks: Number(row.clicks) });
    return byPage;
  }

  /** Links of the owner usable as link items: existing, same workspace and mode, not managed by a page. */
  async linkableIds(db: Knex, owner: LinkOwner, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: Array<{ id: string }> = await db('links')
      .where({ workspace_id: owner.workspaceId, mode: owner.mode })
      .whereNull('page_id')
      .whereIn('id', ids)
      .select('id');
    return new Set(rows.map((row) => row.id));
  }

  /** Replaces a page's items with `items`, in order. */
  async replaceItems(trx: Knex, pageId: string, items: Array<{ label: string; link_id: string }>): Promise<void> {
    await trx('page_items').where({ page_id: pageId }).del();
    if (items.length) await trx('page_items').insert(items.map((item, position) => ({ page_id: pageId, position, ...item })));
  }

  async insertManagedLinks(trx: Knex, rows: ManagedLinkRow[]): Promise<void> {
    if (rows.length) await trx('links').insert(rows);
  }

  async deleteManagedLinks(trx: Knex, pageId: string, ids: string[]): Promise<void> {
    if (ids.length) await trx('links').where({ page_id: pageId }).whereIn('id', ids).del();
  }

  /** The rows of one owner matching the filters; the paginator adds keyset, order and limit. */
  listQuery(db: Knex, owner: LinkOwner, filters: { domain?: string; published?: boolean }): Knex.QueryBuilder {
    const query = db('pages').where({ workspace_id: owner.workspaceId, mode: owner.mode });
    if (filters.domain) query.where('domain', filters.domain);
    if (filters.published !== undefined) query.where('published', filters.published);
    return query.select('*');
  }
}
