import { z } from 'zod/v4';
import { MAX_MOVED_LINKS, type PublicFolder } from '../domain/organization/folders';
import { booleanText } from './analytics';
import { idOf, listQuery, requiredText, timestamp } from './common';

export const folder = z.object({
  id: z.string().describe('fld_…'),
  name: z.string(),
  parent_id: z.string().nullable().describe('The parent folder (folders nest one level deep); null at the top'),
  created_at: timestamp,
  updated_at: timestamp,
}) satisfies z.ZodType<PublicFolder>;

const parentId = idOf('fld').nullable().optional().describe('A top-level folder of the workspace to nest this one in; null: top level');

export const createFolderBody = z.strictObject({ name: requiredText(100), parent_id: parentId });
export const updateFolderBody = z.strictObject({ name: requiredText(100).optional(), parent_id: parentId });

export const listFoldersQuery = listQuery
  .extend({ parent_id: idOf('fld').optional().describe('Only the subfolders of this folder') })
  .strict();

export const deleteFolderQuery = z.strictObject({
  move_links: booleanText.prefault('false').describe('true: delete even when the folder holds links, moving them to move_links_to (or out of any folder)'),
  move_links_to: idOf('fld').optional().describe('With move_links=true: the folder that receives the links'),
});

export const moveLinksBody = z.strictObject({
  link_ids: z
    .array(idOf('lnk'))
    .min(1, 'Give at least one link')
    .max(MAX_MOVED_LINKS, `At most ${MAX_MOVED_LINKS} links per request`)
    .transform((ids) => [...new Set(ids)]),
  folder_id: idOf('fld').nullable().describe('The folder to move the links into; null: out of any folder'),
});

export const moveLinksResponse = z.object({ moved: z.array(z.string()).describe('The ids of the moved links') });
