import type { PublicConversion } from './tracking';

/** The exported fields of a conversion, in CSV column order. */
export const CONVERSION_EXPORT_COLUMNS = [
  'id', 'created_at', 'type', 'event_name', 'customer_id', 'attributed', 'unattributed_reason', 'click_id', 'link_id',
  'campaign_id', 'lead_id', 'clicked_at', 'country', 'device', 'amount', 'currency', 'idempotency_key', 'metadata',
] as const satisfies ReadonlyArray<keyof PublicConversion>;

/** A conversion's CSV fields: numbers as text, metadata as JSON. */
export const csvFieldsOf = (conversion: PublicConversion): Array<string | boolean | null> =>
  CONVERSION_EXPORT_COLUMNS.map((column) => {
    const value = conversion[column];
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    return typeof value === 'number' ? String(value) : JSON.stringify(value);
  });
