import type { Knex } from 'knex';
import type { LinkOwner } from '../../store/links';
import type { OwnedRecords } from '../../store/owned-records';
import { validationError, type ApiError } from '../../support/errors';
import type { LinkOrganizationColumns, LinkOrganizationDraft, LinkOrganizer } from '../links/organization';
import type { CampaignRow } from './campaigns';
import type { FolderRow } from './folders';
import type { PixelRow } from './pixels';
import { UTM_FIELDS, type UtmValues } from './utm';
import type { UtmTemplateRow } from './utm-templates';
import { parseJson } from '../../store/db';

export const MAX_LINK_PIXELS = 10;

/**
 * Links refer to the owner's folders, campaigns and pixels (checked in the writing transaction) and take their UTM
 * values at creation from a template, then from their campaign: a value the link sets itself always wins, and the
 * link keeps its values when the template or campaign changes later.
 */
export class LinkReferences implements LinkOrganizer {
  constructor(
    private readonly stores: {
      folders: OwnedRecords<FolderRow>;
      campaigns: OwnedRecords<CampaignRow>;
      pixels: OwnedRecords<PixelRow>;
      templates: OwnedRecords<UtmTemplateRow>;
    },
  ) {}

  async prepare(owner: LinkOwner, drafts: LinkOrganizationDraft[]): Promise<Map<number, ApiError>> {
    const errors = new Map<number, ApiError>();
    const templateIds = [...new Set(drafts.flatMap((draft) => (draft.utm_template_id ? [draft.utm_template_id] : [])))];
    const campaignIds = [...new Set(drafts.flatMap((draft) => (draft.campaign_id ? [draft.campaign_id] : [])))];
    if (templateIds.length === 0 && campaignIds.length === 0) return errors;
    const templates = new Map((await this.stores.templates.findMany(owner, templateIds)).map((row) => [row.id, row]));
    const campaigns = new Map((await this.stores.campaigns.findMany(owner, campaignIds)).map((row) => [row.id, row]));
    drafts.forEach((draft, index) => {
      const template = draft.utm_template_id ? templates.get(draft.utm_template_id) : undefined;
      if (draft.utm_template_id && !template) {
        errors.set(index, validationError([{ field: 'utm_template_id', message: 'No such UTM template in this workspace' }]));
        return;
      }
      const campaign = draft.campaign_id ? campaigns.get(draft.campaign_id) : undefined;
      const values = draft as Partial<UtmValues>;
      for (const field of UTM_FIELDS) {
        if (values[field] === undefined || values[field] === null) values[field] = template?.[field] ?? campaign?.[field] ?? values[field];
      }
      delete draft.utm_template_id;
    });
    return errors;
  }

  async check(trx: Knex.Transaction, owner: LinkOwner, rows: Array<Partial<LinkOrganizationColumns>>): Promise<Map<number, ApiError>> {
    const errors = new Map<number, ApiError>();
    const wanted = (pick: (row: Partial<LinkOrganizationColumns>) => string[]) => [...new Set(rows.flatMap(pick))];
    const folderIds = wanted((row) => (row.folder_id ? [row.folder_id] : []));
    const campaignIds = wanted((row) => (row.campaign_id ? [row.campaign_id] : []));
    const pixelLists = rows.map((row) => parseJson<string[]>(row.pixel_ids, []));
    const pixelIds = [...new Set(pixelLists.flat())];
    if (folderIds.length + campaignIds.length + pixelIds.length === 0) return errors;
    const ids = async (store: OwnedRecords<{ id: string } & FolderRow> | OwnedRecords<CampaignRow> | OwnedRecords<PixelRow>, list: string[]) =>
      new Set((await store.findMany(owner, list, trx)).map((row) => row.id));
    const folders = await ids(this.stores.folders, folderIds);
    const campaigns = await ids(this.stores.campaigns, campaignIds);
    const pixels = await ids(this.stores.pixels, pixelIds);
    rows.forEach((row, index) => {
      const problems = [];
      if (row.folder_id && !folders.has(row.folder_id)) problems.push({ field: 'folder_id', message: 'No such folder in this workspace' });
      if (row.campaign_id && !campaigns.has(row.campaign_id)) problems.push({ field: 'campaign_id', message: 'No such campaign in this workspace' });
      pixelLists[index].forEach((id, at) => {
        if (!pixels.has(id)) problems.push({ field: `pixel_ids.${at}`, message: `No pixel ${id} in this workspace` });
      });
      if (problems.length) errors.set(index, validationError(problems));
    });
    return errors;
  }
}
