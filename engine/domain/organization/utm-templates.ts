import type { OwnedRecords, OwnedRow } from '../../store/owned-records';
import type { Actor } from '../actor';
import { OwnedRecordService, type RecordDeps } from './records';
import { toIso } from '../../support/time';
import { pickUtm, type UtmValues } from './utm';

export interface UtmTemplateRow extends OwnedRow, UtmValues {
  name: string;
}

export type PublicUtmTemplate = UtmValues & { id: string; name: string; created_at: string; updated_at: string };

export const serializeUtmTemplate = (row: UtmTemplateRow): PublicUtmTemplate => ({
  id: row.id,
  name: row.name,
  ...pickUtm(row),
  created_at: toIso(row.created_at) as string,
  updated_at: toIso(row.updated_at) as string,
});

/** Named sets of UTM values, applied to a link at its creation (`utm_template_id`). */
export class UtmTemplateService {
  readonly records: OwnedRecordService<UtmTemplateRow, PublicUtmTemplate>;

  constructor(store: OwnedRecords<UtmTemplateRow>, deps: RecordDeps) {
    this.records = new OwnedRecordService(store, { prefix: 'utm', resource: 'utm_template', label: 'UTM template', serialize: serializeUtmTemplate }, deps);
  }

  create(actor: Actor, fields: Omit<UtmTemplateRow, keyof OwnedRow>): Promise<PublicUtmTemplate> {
    return this.records.create(actor, fields);
  }

  async update(actor: Actor, id: string, patch: Partial<Omit<UtmTemplateRow, keyof OwnedRow>>): Promise<PublicUtmTemplate> {
    return (await this.records.update(actor, id, patch)).record;
  }

  delete(actor: Actor, id: string): Promise<PublicUtmTemplate> {
    return this.records.delete(actor, id);
  }
}
