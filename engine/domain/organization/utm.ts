/** The five UTM fields campaigns, templates and links carry. */
export const UTM_FIELDS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;
export type UtmField = (typeof UTM_FIELDS)[number];
export type UtmValues = Record<UtmField, string | null>;

export const pickUtm = (source: Partial<UtmValues>): UtmValues =>
  Object.fromEntries(UTM_FIELDS.map((field) => [field, source[field] ?? null])) as UtmValues;
