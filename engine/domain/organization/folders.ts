import type { Knex } from 'knex';
import type { LinkChanges } from '../link-changes';
import type { LinkOrganizationStore } from '../../store/link-organization';
import type { FolderRecords, OwnedRow } from '../../store/owned-records';
import { ApiError, validationError } from '../../support/errors';
import { toIso } from '../../support/time';
import type { Actor } from '../actor';
import type { LinkChangeRecorder } from '../links/service';
import { OwnedRecordService, type RecordDeps } from './records';

export interface FolderRow extends OwnedRow {
  name: string;
  parent_id: string | null;
}

export interface PublicFolder extends Record<string, unknown> {
  id: string;
  name: string;
  parent_id: string | null;
  created_at: string;
  updated_at: string;
}

export const serializeFolder = (row: FolderRow): PublicFolder => ({
  id: row.id,
  name: row.name,
  parent_id: row.parent_id,
  created_at: toIso(row.created_at) as string,
  updated_at: toIso(row.updated_at) as string,
});

export const MAX_MOVED_LINKS = 100;

/**
 * Folders: one level of nesting (a folder with a parent cannot be a parent); a link is in at most one folder. A folder
 * that still holds links or subfolders is deleted only when asked to move its links elsewhere.
 */
export class FolderService {
  readonly records: OwnedRecordService<FolderRow, PublicFolder>;

  constructor(
    private readonly store: FolderRecords<FolderRow>,
    private readonly links: LinkOrganizationStore,
    private readonly linkChanges: LinkChanges,
    private readonly changes: LinkChangeRecorder,
    private readonly deps: RecordDeps,
  ) {
    this.records = new OwnedRecordService(store, { prefix: 'fld', resource: 'folder', label: 'Folder', serialize: serializeFolder }, deps);
  }

  create(actor: Actor, fields: { name: string; parent_id: string | null }): Promise<PublicFolder> {
    return this.records.create(actor, fields, (trx, row) => this.checkParent(trx, actor, row));
  }

  async update(actor: Actor, id: string, patch: { name?: string; parent_id?: string | null }): Promise<PublicFolder> {
    return (await this.records.update(actor, id, patch, (trx, row) => this.checkParent(trx, actor, row))).record;
  }

  /** A parent must be one of the owner's top-level folders, and a folder with subfolders cannot get a parent. */
  private async checkParent(trx: Knex.Transaction, actor: Actor, row: FolderRow): Promise<void> {
    if (row.parent_id === null) return;
    const problem = (message: string) => validationError([{ field: 'parent_id', message }]);
    if (row.parent_id === row.id) throw problem('A folder cannot be its own parent');
    const [parent] = await this.records.store.findMany(actor, [row.parent_id], trx);
    if (!parent) throw problem('No such folder in this workspace');
    if (parent.parent_id !== null) throw problem('Folders nest one level deep: the parent is itself a subfolder');
    if (await this.store.hasChildren(trx, actor, row.id)) throw problem('This folder has subfolders, so it cannot become a subfolder');
  }

  /**
   * 409 while the folder has subfolders, or links unless `moveLinks` (then they go to `moveTo`, or out of any
   * folder when it is null).
   */
  async delete(actor: Actor, id: string, options: { moveLinks: boolean; moveTo: string | null }): Promise<PublicFolder> {
    const moved: Array<{ id: string; domain: string; slug: string }> = [];
    const folder = await this.records.delete(actor, id, async (trx, row, at) => {
      if (await this.store.hasChildren(trx, actor, row.id)) throw new ApiError('conflict', 'The folder has subfolders: delete or move them first.');
      if (options.moveTo !== null) {
        if (options.moveTo === row.id) throw validationError([{ field: 'move_links_to', message: 'Must be another folder' }]);
        const [target] = await this.records.store.findMany(actor, [options.moveTo], trx);
        if (!target) throw validationError([{ field: 'move_links_to', message: 'No such folder in this workspace' }]);
      }
      const count = await this.links.countInFolders(trx, actor, [row.id]);
      if (count === 0) return;
      if (!options.moveLinks) {
        throw new ApiError('conflict', `The folder holds ${count} link(s). Move them first, or delete with move_links=true (and move_links_to).`);
      }
      moved.push(...(await this.moveLinks(trx, actor, { fromFolders: [row.id] }, options.moveTo, at)));
    });
    this.announce(moved);
    return folder;
  }

  /** Moves up to MAX_MOVED_LINKS links of the owner into a folder (null: out of any), all or none. */
  async move(actor: Actor, linkIds: string[], folderId: string | null): Promise<{ moved: string[] }> {
    const now = this.deps.clock.now();
    const moved = await this.deps.transactions.run(async (trx) => {
      if (folderId !== null) await this.records.row(actor, folderId, trx);
      const found = await this.moveLinks(trx, actor, { ids: linkIds }, folderId, now.getTime());
      const missing = linkIds.filter((id) => !found.some((link) => link.id === id));
      if (missing.length) throw validationError(missing.map((id) => ({ field: `link_ids.${linkIds.indexOf(id)}`, message: `No link ${id} in this workspace` })));
      return found;
    });
    this.announce(moved);
    return { moved: moved.map((link) => link.id) };
  }

  private async moveLinks(trx: Knex.Transaction, actor: Actor, selection: { ids?: string[]; fromFolders?: string[] }, folderId: string | null, at: number) {
    const moved = await this.links.moveToFolder(trx, actor, selection, folderId, at);
    await this.changes.recordChangedElsewhere(trx, actor, moved.map((link) => ({ id: link.id, before: { folder_id: link.folder_id } })), new Date(at));
    return moved;
  }

  private announce(moved: Array<{ id: string; domain: string; slug: string }>): void {
    for (const link of moved) this.linkChanges.publish({ id: link.id, domain: link.domain, slug: link.slug, kind: 'updated' });
  }
}
