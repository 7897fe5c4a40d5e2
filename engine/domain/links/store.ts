import type { Knex } from 'knex';
import { whereContains } from '../../store/db';
import type { Mode } from '../scopes';
import type { LinkRow } from './serializer';

/** Whose links a query may touch: always one workspace and one mode. */
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
}

/** A list query and the table whose (sort, id) columns the keyset runs on. */
export interface LinkListQuery {
  query: Knex.QueryBuilder;
  table: 'links' | 'link_tags';
  idColumn: 'id' | 'link_id';
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
 * The SQL of links. `link_tags` repeats each link's workspace, mode and sort columns so a tag-filtered page is read
 * from one index in keyset order; a trigger (migration 002) keeps `clicks` and `updated_at` in step with `links`.
 */
export class LinkStore {
  async insert(trx: Knex, rows: LinkRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx('links').insert(rows.slice(i, i + INSERT_CHUNK));
    const tags = rows.flatMap((row) => tagRows(row, JSON.parse(row.tags) as string[]));
    for (let i = 0; i < tags.length; i += INSERT_CHUNK) await trx('link_tags').insert(tags.slice(i, i + INSERT_CHUNK));
  }

  /** A link of the Links API: links a bio page manages for its URL items (`page_id`) belong to the page. */
  async find(db: Knex, owner: LinkOwner, id: string, forUpdate = false): Promise<LinkRow | undefined> {
    const query = db<LinkRow>('links').where({ id, workspace_id: owner.workspaceId, mode: owner.mode }).whereNull('page_id');
    return forUpdate ? query.forUpdate().first() : query.first();
  }

  /** Which of `slugs` are taken on `domain`, in any workspace or mode. */
  async takenSlugs(db: Knex, domain: string, slugs: string[]): Promise<Set<string>> {
    const rows: Array<{ slug: string }> = await db('links').where({ domain }).whereIn('slug', slugs).select('slug');
    return new Set(rows.map((row) => row.slug));
  }

  /** Applies `changes` to a stored link; with `tags`, rewrites its tag rows too. */
  async update(trx: Knex, row: LinkRow, changes: Partial<LinkRow>, tags?: readonly string[]): Promise<LinkRow> {
    await trx('links').where({ id: row.id }).update(changes);
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

  async delete(trx: Knex, id: string): Promise<void> {
    await trx('link_tags').where({ link_id: id }).del();
    await trx('links').where({ id }).del();
  }

  /** The rows of one owner matching `filters`, unordered and unlimited: the paginator adds keyset, order and limit. */
  listQuery(db: Knex, owner: LinkOwner, filters: LinkFilters): LinkListQuery {
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
    const term = filters.search;
    if (term) {
      query.where((q) => {
        for (const column of ['links.url', 'links.slug', 'links.title']) whereContains(q, db, column, term);
      });
    }
    return { query, table, idColumn: byTag ? 'link_id' : 'id' };
  }
}
