import type { Knex } from 'knex';
import { isUniqueViolation, whereContains } from './db';

export type Mode = 'live' | 'test';

/** Whose rows a query may touch: always one workspace and one mode. */
export interface LinkOwner {
  workspaceId: string;
  mode: Mode;
}

export interface LinkFilters {
  search?: string;
  tag?: string;
  domain?: string;
  createdAfter?: Date;
  createdBefore?: Date;
  folderId?: string;
  campaignId?: string;
}

/** A list query and the table whose (sort, id) columns the keyset runs on. */
export interface LinkListQuery {
  query: Knex.QueryBuilder;
  table: 'links' | 'link_tags';
  idColumn: 'id' | 'link_id';
}

/** A row of the `links` table. Times are epoch milliseconds. */
export interface LinkRow {
  id: string;
  workspace_id: string;
  mode: Mode;
  domain: string;
  slug: string;
  url: string;
  title: string | null;
  notes: string | null;
  /** JSON array, in the order the caller gave. */
  tags: string;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  ios_target: string | null;
  android_target: string | null;
  starts_at: number | null;
  expires_at: number | null;
  max_clicks: number | null;
  password_hash: string | null;
  password_version: number;
  clicks: number;
  created_at: number;
  updated_at: number;
  /** Made through the keyless guest endpoint: deleted by the guest sweeper (absent on insert: false). */
  guest?: boolean;
  /** The caller's own id for the link (upserts), unique per workspace and mode. */
  external_id?: string | null;
  /** Clicks counted by the shortener the link was imported from: a baseline, never click rows. */
  imported_clicks?: number;
  /** JSON: the A/B split's weighted destinations, or null (smart routing). */
  variants: string | null;
  /** JSON: the social preview, or null (smart routing). */
  preview: string | null;
  folder_id: string | null;
  campaign_id: string | null;
  utm_term: string | null;
  utm_content: string | null;
  /** null: the workspace setting decides; SQLite answers 0/1. */
  track_conversions: boolean | number | null;
  /** JSON array of px_ ids, or null for none. */
  pixel_ids: string | null;
}

/** A link a bio page manages for a URL item; every other column keeps its default (no tags, UTM, password or schedule). */
export type ManagedLinkRow = Pick<LinkRow, 'id' | 'workspace_id' | 'mode' | 'domain' | 'slug' | 'url' | 'created_at' | 'updated_at'> & {
  page_id: string;
  title: string;
};

const REDIRECT_COLUMNS = [
  'id', 'workspace_id', 'mode', 'domain', 'slug', 'url', 'utm_source', 'utm_medium', 'utm_campaign', 'ios_target',
  'android_target', 'starts_at', 'expires_at', 'max_clicks', 'password_hash', 'password_version', 'clicks',
  'variants', 'preview',
  'utm_term', 'utm_content', 'track_conversions', 'pixel_ids', 'campaign_id',
] as const;

/** The columns of a link the redirect path reads. */
export type RedirectLinkRow = Pick<LinkRow, (typeof REDIRECT_COLUMNS)[number]>;

/**
 * A slug or a handle was taken by a concurrent writer between the check and the write (a unique violation). The
 * transaction is rolled back; run again, its checks see the new row.
 */
export class AddressTaken extends Error {
  constructor() {
    super('A slug or handle was taken by a concurrent write.');
    this.name = 'AddressTaken';
  }
}

/** Runs a write whose unique constraint guards an address (a slug or a handle); a violation becomes AddressTaken. */
export async function claimingAddress<T>(write: () => PromiseLike<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw isUniqueViolation(error) ? new AddressTaken() : error;
  }
}

const INSERT_CHUNK = 200;

const tagRows = (row: LinkRow, tags: readonly string[]) =>
  tags.map((tag) => ({
    link_id: row.id,
    workspace_id: row.workspace_id,
    mode: row.mode,
    tag,
    created_at: row.created_at,
    updated_at: row.updated_at,
    clicks: row.clicks,
  }));

/**
 * The SQL of links: every query on `links` and `link_tags`. `link_tags` repeats each link's workspace, mode and sort
 * columns so a tag-filtered page is read from one index in keyset order; a trigger (migration 002) keeps `clicks` and
 * `updated_at` in step with `links`. Methods that take `trx` run inside the caller's transaction.
 */
export class LinkStore {
  constructor(private readonly db: Knex) {}

  /** Inserts links and their tag rows; a slug taken meanwhile throws AddressTaken. */
  async insert(trx: Knex, rows: LinkRow[]): Promise<void> {
    await claimingAddress(async () => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx('links').insert(rows.slice(i, i + INSERT_CHUNK));
    });
    const tags = rows.flatMap((row) => tagRows(row, JSON.parse(row.tags) as string[]));
    for (let i = 0; i < tags.length; i += INSERT_CHUNK) await trx('link_tags').insert(tags.slice(i, i + INSERT_CHUNK));
  }

  /**
   * A link of the Links API: links a bio page manages for its URL items (`page_id`) belong to the page. With `lockIn`,
   * read in that transaction and locked for update.
   */
  async find(owner: LinkOwner, id: string, lockIn?: Knex.Transaction): Promise<LinkRow | undefined> {
    const query = (lockIn ?? this.db)<LinkRow>('links').where({ id, workspace_id: owner.workspaceId, mode: owner.mode }).whereNull('page_id');
    return lockIn ? query.forUpdate().first() : query.first();
  }

  /** The owner's links among `ids` (of the Links API, as find), read in `trx`. */
  async findMany(trx: Knex, owner: LinkOwner, ids: string[]): Promise<LinkRow[]> {
    if (ids.length === 0) return [];
    return trx<LinkRow>('links').where({ workspace_id: owner.workspaceId, mode: owner.mode }).whereIn('id', ids).whereNull('page_id');
  }

  /** Any link of the owner, page-managed ones included (analytics reports on both). */
  async locate(owner: LinkOwner, id: string): Promise<{ id: string; domain: string } | undefined> {
    return this.db('links').where({ id, workspace_id: owner.workspaceId, mode: owner.mode }).first('id', 'domain');
  }

  /** The link at `domain`/`slug` (slugs are case-sensitive) with the columns the redirect path reads. */
  findForRedirect(domain: string, slug: string): Promise<RedirectLinkRow | undefined> {
    return this.db('links').select([...REDIRECT_COLUMNS]).where({ domain, slug }).first();
  }

  /** Which of `slugs` are taken on `domain`, in any workspace or mode. */
  async takenSlugs(trx: Knex, domain: string, slugs: string[]): Promise<Set<string>> {
    const rows: Array<{ slug: string }> = await trx('links').where({ domain }).whereIn('slug', slugs).select('slug');
    return new Set(rows.map((row) => row.slug));
  }

  /** Applies `changes` to a stored link; with `tags`, rewrites its tag rows too. */
  async update(trx: Knex, row: LinkRow, changes: Partial<LinkRow>, tags?: readonly string[]): Promise<LinkRow> {
    await claimingAddress(() => trx('links').where({ id: row.id }).update(changes));
    const updated = { ...row, ...changes };
    if (tags) {
      const before = new Set<string>(JSON.parse(row.tags) as string[]);
      const removed = [...before].filter((tag) => !tags.includes(tag));
      if (removed.length) await trx('link_tags').where({ link_id: row.id }).whereIn('tag', removed).del();
      const added = tags.filter((tag) => !before.has(tag));
      if (added.length) await trx('link_tags').insert(tagRows(updated, added));
    }
    return updated;
  }

  /** The id of the owner's link (not page-managed) with this external id. */
  async idByExternalId(owner: LinkOwner, externalId: string): Promise<string | undefined> {
    const row = await this.db('links').where({ workspace_id: owner.workspaceId, mode: owner.mode, external_id: externalId }).whereNull('page_id').first('id');
    return row?.id;
  }

  /** Who holds `domain`/`slug`, in any workspace or mode. */
  async holderOf(domain: string, slug: string): Promise<{ id: string; workspace_id: string; mode: Mode; page_id: string | null } | undefined> {
    return this.db('links').where({ domain, slug }).first('id', 'workspace_id', 'mode', 'page_id');
  }

  /** Which of `externalIds` the owner's links use, and by which link. */
  async externalIdOwners(trx: Knex, owner: LinkOwner, externalIds: string[]): Promise<Map<string, string>> {
    const rows: Array<{ id: string; external_id: string }> = await trx('links')
      .where({ workspace_id: owner.workspaceId, mode: owner.mode })
      .whereIn('external_id', externalIds)
      .select('id', 'external_id');
    return new Map(rows.map((row) => [row.external_id, row.id]));
  }

  async delete(trx: Knex, id: string): Promise<void> {
    await trx('link_tags').where({ link_id: id }).del();
    await trx('links').where({ id }).del();
  }

  /** The rows of one owner matching `filters`, unordered and unlimited: the paginator adds keyset, order and limit. */
  listQuery(owner: LinkOwner, filters: LinkFilters): LinkListQuery {
    const { db } = this;
    const byTag = filters.tag !== undefined;
    const table = byTag ? 'link_tags' : 'links';
    const query = byTag
      ? db('link_tags')
          .join('links', 'links.id', 'link_tags.link_id')
          .where({ 'link_tags.workspace_id': owner.workspaceId, 'link_tags.mode': owner.mode, 'link_tags.tag': filters.tag })
          .select('links.*')
      : // Page-managed links never carry tags, so only this branch has to leave them out.
        db('links').where({ 'links.workspace_id': owner.workspaceId, 'links.mode': owner.mode }).whereNull('links.page_id').select('links.*');
    if (filters.createdAfter) query.where(`${table}.created_at`, '>=', filters.createdAfter.getTime());
    if (filters.createdBefore) query.where(`${table}.created_at`, '<', filters.createdBefore.getTime());
    if (filters.domain) query.where('links.domain', filters.domain);
    if (filters.folderId) query.where('links.folder_id', filters.folderId);
    if (filters.campaignId) query.where('links.campaign_id', filters.campaignId);
    const term = filters.search;
    if (term) {
      query.where((q) => {
        for (const column of ['links.url', 'links.slug', 'links.title']) whereContains(q, db, column, term);
      });
    }
    return { query, table, idColumn: byTag ? 'link_id' : 'id' };
  }

  /** How many links the owner has, page-managed ones included. */
  async count(owner: LinkOwner, db: Knex = this.db): Promise<number> {
    const [{ n }] = await db('links').where({ workspace_id: owner.workspaceId, mode: owner.mode }).count({ n: '*' });
    return Number(n);
  }

  /** How many links of a workspace, in either mode, are on `hostname`. */
  async countOnDomain(trx: Knex, workspaceId: string, hostname: string): Promise<number> {
    const [{ n }] = await trx('links').where({ workspace_id: workspaceId, domain: hostname }).count({ n: '*' });
    return Number(n);
  }

  /** Those of `ids` that are links of the owner not managed by a page. */
  async unmanagedIds(trx: Knex, owner: LinkOwner, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: Array<{ id: string }> = await trx('links')
      .where({ workspace_id: owner.workspaceId, mode: owner.mode })
      .whereNull('page_id')
      .whereIn('id', ids)
      .select('id');
    return new Set(rows.map((row) => row.id));
  }

  /** Inserts links a page manages; a slug taken meanwhile throws AddressTaken. */
  async insertManaged(trx: Knex, rows: ManagedLinkRow[]): Promise<void> {
    if (rows.length) await claimingAddress(() => trx('links').insert(rows));
  }

  async retitleManaged(trx: Knex, id: string, title: string): Promise<void> {
    await trx('links').where({ id }).update({ title });
  }

  async deleteManaged(trx: Knex, pageId: string, ids: string[]): Promise<void> {
    if (ids.length) await trx('links').where({ page_id: pageId }).whereIn('id', ids).del();
  }

  async hasTag(linkId: string, tag: string): Promise<boolean> {
    return (await this.db('link_tags').where({ link_id: linkId, tag }).first('link_id')) !== undefined;
  }

  /** The owner's links carrying `tag`, on `domain` when given, as a subquery of link ids. */
  taggedIds(owner: LinkOwner, tag: string, domain?: string): Knex.QueryBuilder {
    const query = this.db('link_tags').where({ 'link_tags.workspace_id': owner.workspaceId, 'link_tags.mode': owner.mode, 'link_tags.tag': tag }).select('link_tags.link_id');
    if (domain) query.join('links', 'links.id', 'link_tags.link_id').where('links.domain', domain);
    return query;
  }

  /** The owner's links in a campaign (now), on `domain` when given, as a subquery of link ids. */
  inCampaign(owner: LinkOwner, campaignId: string, domain?: string): Knex.QueryBuilder {
    const query = this.db('links').where({ workspace_id: owner.workspaceId, mode: owner.mode, campaign_id: campaignId }).select('id');
    return domain ? query.where({ domain }) : query;
  }

  /** The ids of the links on `domain`, as a subquery. */
  idsOnDomain(domain: string): Knex.QueryBuilder {
    return this.db('links').where({ domain }).select('id');
  }

  /** Domain and slug of those of `ids` that still exist. */
  async addresses(ids: string[]): Promise<Map<string, { domain: string; slug: string }>> {
    const rows: Array<{ id: string; domain: string; slug: string }> = ids.length ? await this.db('links').whereIn('id', ids).select('id', 'domain', 'slug') : [];
    return new Map(rows.map(({ id, domain, slug }) => [id, { domain, slug }]));
  }
}
