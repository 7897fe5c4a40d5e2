import type { LinkOrganizationStore } from '../../store/link-organization';
import type { OwnedRecords, OwnedRow } from '../../store/owned-records';
import { validationError } from '../../support/errors';
import { toIso } from '../../support/time';
import type { Actor } from '../actor';
import type { LinkChanges } from '../link-changes';
import type { LinkChangeRecorder } from '../links/service';
import { OwnedRecordService, type RecordDeps } from './records';
import { pickUtm, type UtmValues } from './utm';

export interface CampaignRow extends OwnedRow, UtmValues {
  name: string;
  description: string | null;
  starts_at: number | null;
  ends_at: number | null;
}

export type PublicCampaign = UtmValues & {
  id: string;
  name: string;
  description: string | null;
  starts_at: string | null;
  ends_at: string | null;
  created_at: string;
  updated_at: string;
};

export const serializeCampaign = (row: CampaignRow): PublicCampaign => ({
  id: row.id,
  name: row.name,
  description: row.description,
  starts_at: toIso(row.starts_at),
  ends_at: toIso(row.ends_at),
  ...pickUtm(row),
  created_at: toIso(row.created_at) as string,
  updated_at: toIso(row.updated_at) as string,
});

export type CampaignFields = Omit<CampaignRow, keyof OwnedRow>;

const datesInOrder = (row: Pick<CampaignRow, 'starts_at' | 'ends_at'>) => {
  if (row.starts_at !== null && row.ends_at !== null && row.starts_at >= row.ends_at) {
    throw validationError([{ field: 'ends_at', message: 'Must be after starts_at' }]);
  }
};

/**
 * Campaigns group links (a link in at most one) and give them default UTM values at creation. Deleting a campaign
 * takes its links out of it; conversions keep the campaign they were attributed to.
 */
export class CampaignService {
  readonly records: OwnedRecordService<CampaignRow, PublicCampaign>;

  constructor(
    store: OwnedRecords<CampaignRow>,
    private readonly links: LinkOrganizationStore,
    private readonly linkChanges: LinkChanges,
    private readonly changes: LinkChangeRecorder,
    deps: RecordDeps,
  ) {
    this.records = new OwnedRecordService(store, { prefix: 'camp', resource: 'campaign', label: 'Campaign', serialize: serializeCampaign }, deps);
  }

  create(actor: Actor, fields: CampaignFields): Promise<PublicCampaign> {
    return this.records.create(actor, fields, async (_trx, row) => datesInOrder(row));
  }

  async update(actor: Actor, id: string, patch: Partial<CampaignFields>): Promise<PublicCampaign> {
    return (await this.records.update(actor, id, patch, async (_trx, row) => datesInOrder(row))).record;
  }

  /** Takes the campaign's links out of it (each change audited, announced as `link.updated` and dropped from caches). */
  async delete(actor: Actor, id: string): Promise<PublicCampaign> {
    const cleared: Array<{ id: string; domain: string; slug: string }> = [];
    const campaign = await this.records.delete(actor, id, async (trx, row, at) => {
      cleared.push(...(await this.links.clearCampaign(trx, actor, row.id, at)));
      await this.changes.recordChangedElsewhere(trx, actor, cleared.map((link) => ({ id: link.id, before: { campaign_id: row.id } })), new Date(at));
    });
    for (const link of cleared) this.linkChanges.publish({ id: link.id, domain: link.domain, slug: link.slug, kind: 'updated' });
    return campaign;
  }
}
