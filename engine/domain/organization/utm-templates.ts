import type { OwnedRow } from '../../store/owned-records';
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
