import type { Knex } from 'knex';
import type { LinkOwner, LinkRow } from './links';

/** Reads all of an owner's links in id order, one batch at a time, for exports. */
export class LinkExportStore {
  constructor(private readonly db: Knex) {}

  /** The next `limit` links after `afterId` (page-managed links belong to their page and are left out). */
  async batch(owner: LinkOwner, afterId: string | null, limit: number): Promise<LinkRow[]> {
    const query = this.db<LinkRow>('links').where({ workspace_id: owner.workspaceId, mode: owner.mode }).whereNull('page_id');
    if (afterId) query.where('id', '>', afterId);
    return query.orderBy('id').limit(limit).select('*');
  }
}
