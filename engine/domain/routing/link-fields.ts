import type { Knex } from 'knex';
import type { Preview, Variant } from './types';

/**
 * The `links` columns of a link's smart-routing fields: JSON text, null for none. Only fields present in `fields` are
 * returned, so a patch leaves the others alone.
 */
export function routingColumns(fields: { variants?: Variant[] | null; preview?: Preview | null }): { variants?: string | null; preview?: string | null } {
  const columns: { variants?: string | null; preview?: string | null } = {};
  if (fields.variants !== undefined) columns.variants = fields.variants ? JSON.stringify(fields.variants) : null;
  if (fields.preview !== undefined) columns.preview = fields.preview ? JSON.stringify(fields.preview) : null;
  return columns;
}

/** Fields added to `link.updated` payloads, per link id, read in the transaction of the change. */
export type LinkEventExtras = (trx: Knex.Transaction, linkIds: string[]) => Promise<Map<string, Record<string, unknown>>>;
