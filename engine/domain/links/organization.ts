import type { Knex } from 'knex';
import { asBool, parseJson } from '../../store/db';
import type { LinkOwner, LinkRow } from '../../store/links';
import type { ApiError } from '../../support/errors';

/** What links gain from issue 22: folder, campaign, two more UTM fields, the click-id switch and pixels. */
export interface LinkOrganizationFields {
  folder_id: string | null;
  campaign_id: string | null;
  utm_term: string | null;
  utm_content: string | null;
  /** null: the workspace's setting decides whether redirects append a click id. */
  track_conversions: boolean | null;
  pixel_ids: string[] | null;
}

/** At creation only: a UTM template whose values fill the UTM fields the draft leaves out. */
export interface LinkTemplateChoice {
  utm_template_id?: string | null;
}

export type LinkOrganizationDraft = Partial<LinkOrganizationFields> & LinkTemplateChoice;
export type LinkOrganizationColumns = Pick<LinkRow, 'folder_id' | 'campaign_id' | 'utm_term' | 'utm_content' | 'track_conversions' | 'pixel_ids'>;

const PLAIN = ['folder_id', 'campaign_id', 'utm_term', 'utm_content'] as const;

const pixelsColumn = (ids: string[] | null | undefined) => (ids && ids.length ? JSON.stringify(ids) : null);

/** The columns a new link gets from its draft. */
export const organizationColumns = (draft: LinkOrganizationDraft): LinkOrganizationColumns => ({
  folder_id: draft.folder_id ?? null,
  campaign_id: draft.campaign_id ?? null,
  utm_term: draft.utm_term ?? null,
  utm_content: draft.utm_content ?? null,
  track_conversions: draft.track_conversions ?? null,
  pixel_ids: pixelsColumn(draft.pixel_ids),
});

/** The columns a patch changes (only real differences). */
export function organizationChanges(row: LinkRow, patch: Partial<LinkOrganizationFields>): Partial<LinkOrganizationColumns> {
  const changes: Partial<LinkOrganizationColumns> = {};
  for (const field of PLAIN) if (patch[field] !== undefined && patch[field] !== row[field]) changes[field] = patch[field];
  if (patch.track_conversions !== undefined && patch.track_conversions !== trackingOf(row)) changes.track_conversions = patch.track_conversions;
  if (patch.pixel_ids !== undefined && pixelsColumn(patch.pixel_ids) !== row.pixel_ids) changes.pixel_ids = pixelsColumn(patch.pixel_ids);
  return changes;
}

export const trackingOf = (row: Pick<LinkRow, 'track_conversions'>): boolean | null =>
  row.track_conversions === null || row.track_conversions === undefined ? null : asBool(row.track_conversions);

export const pixelIdsOf = (row: Pick<LinkRow, 'pixel_ids'>): string[] => parseJson<string[]>(row.pixel_ids, []);

/**
 * Checks and fills what a link refers to (folder, campaign, pixels, UTM template). `prepare` runs before the
 * transaction and fills UTM values from the template and the campaign; `check` runs inside it, so a folder, campaign
 * or pixel deleted meanwhile cannot be referred to. Each answers the error of each refused draft, by position.
 */
export interface LinkOrganizer {
  prepare(owner: LinkOwner, drafts: LinkOrganizationDraft[]): Promise<Map<number, ApiError>>;
  check(trx: Knex.Transaction, owner: LinkOwner, rows: Array<Partial<LinkOrganizationColumns>>): Promise<Map<number, ApiError>>;
}
