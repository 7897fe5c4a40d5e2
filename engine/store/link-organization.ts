import type { Knex } from 'knex';
import type { LinkOwner } from './links';

/**
 * The SQL that ties links to folders, campaigns and pixels (their columns on `links`): moves, clears and the
 * reverse lookups a delete or a pixel change needs. Page-managed links are never organised.
 */
export class LinkOrganizationStore {
  constructor(private readonly db: Knex) {}

  private owned(db: Knex, owner: LinkOwner) {
    return db('links').where({ workspace_id: owner.workspaceId, mode: owner.mode }).whereNull('page_id');
  }

  /** How many of the owner's links are in one of `folderIds`. */
  async countInFolders(db: Knex, owner: LinkOwner, folderIds: string[]): Promise<number> {
    const [{ n }] = await this.owned(db, owner).whereIn('folder_id', folderIds).count({ n: '*' });
    return Number(n);
  }

  /** Moves the owner's links `ids` (or those in `fromFolders`) into `folderId` (null: out of any folder). */
  async moveToFolder(trx: Knex, owner: LinkOwner, selection: { ids?: string[]; fromFolders?: string[] }, folderId: string | null, at: number): Promise<Array<{ id: string; domain: string; slug: string; folder_id: string | null }>> {
    const query = () => {
      const q = this.owned(trx, owner);
      if (selection.ids) q.whereIn('id', selection.ids);
      if (selection.fromFolders) q.whereIn('folder_id', selection.fromFolders);
      return q;
    };
    const moved: Array<{ id: string; domain: string; slug: string; folder_id: string | null }> = await query().select('id', 'domain', 'slug', 'folder_id');
    if (moved.length) await query().update({ folder_id: folderId, updated_at: at });
    return moved;
  }

  /** Takes every link of the owner out of a deleted campaign; answers those links. */
  async clearCampaign(trx: Knex, owner: LinkOwner, campaignId: string, at: number): Promise<Array<{ id: string; domain: string; slug: string }>> {
    const cleared: Array<{ id: string; domain: string; slug: string }> = await this.owned(trx, owner).where({ campaign_id: campaignId }).select('id', 'domain', 'slug');
    if (cleared.length) await this.owned(trx, owner).where({ campaign_id: campaignId }).update({ campaign_id: null, updated_at: at });
    return cleared;
  }

  /** Links of the owner carrying pixel `pixelId` (ids are id-shaped, so a LIKE on the JSON list is exact). */
  async withPixel(owner: LinkOwner, pixelId: string, db: Knex = this.db): Promise<Array<{ id: string; domain: string; slug: string; pixel_ids: string }>> {
    return this.owned(db, owner).where('pixel_ids', 'like', `%"${pixelId}"%`).select('id', 'domain', 'slug', 'pixel_ids');
  }

  async setPixels(trx: Knex, id: string, pixelIds: string | null, at: number): Promise<void> {
    await trx('links').where({ id }).update({ pixel_ids: pixelIds, updated_at: at });
  }

  /** The campaign of each of `linkIds` that still exists. */
  async campaignsOf(db: Knex, linkIds: string[]): Promise<Map<string, string | null>> {
    if (linkIds.length === 0) return new Map();
    const rows: Array<{ id: string; campaign_id: string | null }> = await db('links').whereIn('id', linkIds).select('id', 'campaign_id');
    return new Map(rows.map((row) => [row.id, row.campaign_id]));
  }

  /** The ids of the owner's links in a campaign, as a subquery. */
  idsInCampaign(owner: LinkOwner, campaignId: string): Knex.QueryBuilder {
    return this.db('links').where({ workspace_id: owner.workspaceId, mode: owner.mode, campaign_id: campaignId }).select('id');
  }
}
