import type { Knex } from 'knex';
import { claimingAddress, type LinkOwner, type Mode } from './links';

/** A row of `pages`. Times are epoch milliseconds. `theme` holds one of the domain's theme names. */
export interface PageRow {
  id: string;
  workspace_id: string;
  mode: Mode;
  domain: string;
  handle: string;
  title: string | null;
  description: string | null;
  avatar_url: string | null;
  theme: string;
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

/**
 * The SQL of bio pages and their items. The links a page manages for its URL items are written through LinkStore;
 * items are read joined with their links. Methods that take `trx` run inside the caller's transaction.
 */
export class PageStore {
  constructor(private readonly db: Knex) {}

  /** With `lockIn`, read in that transaction and locked for update. */
  find(owner: LinkOwner, id: string, lockIn?: Knex.Transaction): Promise<PageRow | undefined> {
    const query = (lockIn ?? this.db)<PageRow>('pages').where({ id, workspace_id: owner.workspaceId, mode: owner.mode });
    return lockIn ? query.forUpdate().first() : query.first();
  }

  findPublished(domain: string, handle: string): Promise<PageRow | undefined> {
    return this.db<PageRow>('pages').where({ domain, handle, published: true }).first();
  }

  async handleTaken(trx: Knex, domain: string, handle: string, exceptId?: string): Promise<boolean> {
    const query = trx('pages').where({ domain, handle });
    if (exceptId) query.whereNot('id', exceptId);
    return (await query.first('id')) !== undefined;
  }

  /** A handle taken meanwhile throws AddressTaken. */
  async insert(trx: Knex, row: PageRow): Promise<void> {
    await claimingAddress(() => trx('pages').insert(row));
  }

  /** A handle taken meanwhile throws AddressTaken. */
  async update(trx: Knex, id: string, changes: Partial<PageRow>): Promise<void> {
    await claimingAddress(() => trx('pages').where({ id }).update(changes));
  }

  /** Deletes a page without items (see replaceItems). */
  async delete(trx: Knex, id: string): Promise<void> {
    await trx('pages').where({ id }).del();
  }

  /** The items of several pages, each page's in order; read in `db` (a transaction) when given. */
  async items(pageIds: string[], db: Knex = this.db): Promise<Map<string, ItemView[]>> {
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

  /** Replaces a page's items with `items`, in order. */
  async replaceItems(trx: Knex, pageId: string, items: Array<{ label: string; link_id: string }>): Promise<void> {
    await trx('page_items').where({ page_id: pageId }).del();
    if (items.length) await trx('page_items').insert(items.map((item, position) => ({ page_id: pageId, position, ...item })));
  }

  /** How many pages of a workspace, in either mode, are on `hostname`. */
  async countOnDomain(trx: Knex, workspaceId: string, hostname: string): Promise<number> {
    const [{ n }] = await trx('pages').where({ workspace_id: workspaceId, domain: hostname }).count({ n: '*' });
    return Number(n);
  }

  /** The rows of one owner matching the filters; the paginator adds keyset, order and limit. */
  listQuery(owner: LinkOwner, filters: { domain?: string; published?: boolean }): Knex.QueryBuilder {
    const query = this.db('pages').where({ workspace_id: owner.workspaceId, mode: owner.mode });
    if (filters.domain) query.where('domain', filters.domain);
    if (filters.published !== undefined) query.where('published', filters.published);
    return query.select('*');
  }
}
