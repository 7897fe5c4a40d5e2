import { z } from 'zod/v4';
import type { PublicConversion } from '../domain/conversions/tracking';
import type { PublicConversionSettings } from '../domain/conversions/settings';
import { analyticsQuery, exportQuery, GROUP_BY, INTERVALS } from './analytics';
import { idOf, nullableTimestamp, requiredText, timestamp } from './common';

/** Amounts above this many minor units (one billion in a two-decimal currency) are refused as absurd. */
export const MAX_AMOUNT = 100_000_000_000;
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

const metadata = z
  .record(z.string().max(100), z.unknown())
  .refine((value) => JSON.stringify(value).length <= 4000, 'At most 4000 characters of JSON')
  .nullable()
  .optional()
  .describe('Free-form JSON object stored with the event (at most 4000 characters)');

const conversionFields = {
  click_id: z
    .string()
    .trim()
    .max(100, 'Must be at most 100 characters')
    .transform((value) => value || null)
    .nullable()
    .optional()
    .describe('The click id the destination received (mask_click_id by default). Unknown or outside the attribution window: recorded unattributed'),
  customer_id: requiredText(200).describe('Your id of the customer: ties a lead to later sales'),
  event_name: requiredText(100).describe('e.g. "Sign up" or "Purchase"'),
  metadata,
};

export const trackLeadBody = z.strictObject({
  ...conversionFields,
  idempotency_key: requiredText(200).optional().describe('Optional: your unique id of this lead; a repeat is answered with the first lead and counted once'),
});

export const trackSaleBody = z.strictObject({
  ...conversionFields,
  amount: z
    .number({ message: 'Must be a whole number of minor units (cents), from 0' })
    .int('Must be a whole number of minor units (cents), from 0')
    .min(0, 'Must not be negative')
    .max(MAX_AMOUNT, `Must be at most ${MAX_AMOUNT} minor units`)
    .describe('In the currency’s minor units, e.g. 4999 for USD 49.99'),
  currency: z
    .string()
    .transform((value) => value.trim().toUpperCase())
    .refine((value) => /^[A-Z]{3}$/.test(value) && CURRENCIES.has(value), 'Must be an ISO 4217 currency code such as USD or EUR')
    .describe('ISO 4217 code'),
  idempotency_key: requiredText(200).describe('Your unique id of this sale (e.g. the order id): a repeat is answered with the first sale and counted once'),
});

export const conversion = z.object({
  id: z.string().describe('conv_…'),
  type: z.enum(['lead', 'sale']),
  event_name: z.string(),
  customer_id: z.string(),
  attributed: z.boolean().describe('false: no click within the attribution window could be tied to it (see unattributed_reason)'),
  unattributed_reason: z.enum(['no_click_id', 'unknown_click_id', 'click_outside_window']).nullable(),
  click_id: z.string().nullable().describe('The click it is attributed to (or the unknown id reported)'),
  link_id: z.string().nullable(),
  campaign_id: z.string().nullable(),
  lead_id: z.string().nullable().describe('Sales: the customer’s latest lead'),
  clicked_at: nullableTimestamp,
  country: z.string().nullable(),
  device: z.string().nullable(),
  amount: z.number().int().nullable().describe('Sales: minor units of currency'),
  currency: z.string().nullable(),
  idempotency_key: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  created_at: timestamp,
}) satisfies z.ZodType<PublicConversion>;

export const trackResponse = z.object({
  conversion,
  duplicate: z.boolean().describe('true: this idempotency_key was already recorded; the first event is answered and nothing is counted again'),
});

const origin = z
  .string()
  .trim()
  .transform((value, ctx) => {
    try {
      const url = new URL(value);
      if ((url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value.replace(/\/$/, '')) return url.origin;
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: 'Must be an origin such as https://shop.example.com (scheme, host and optional port; no path)' });
    return z.NEVER;
  });

export const conversionSettings = z.object({
  track_conversions: z.boolean().describe('Redirects of links with track_conversions null append a click id'),
  click_id_param: z.string().describe('The query parameter the click id is appended as'),
  attribution_window_days: z.number().int().describe('A conversion is attributed to a click at most this many days old'),
  allowed_origins: z.array(z.string()).describe('Origins the publishable key may be used from (CORS)'),
  publishable_key: z.string().nullable().describe('mk_pub_…: safe to put in a web page; only POST /track/lead and /track/sale accept it, from allowed_origins'),
  updated_at: nullableTimestamp,
}) satisfies z.ZodType<PublicConversionSettings>;

export const updateConversionSettingsBody = z.strictObject({
  track_conversions: z.boolean().optional(),
  click_id_param: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'Must be 1–64 characters of A–Z a–z 0–9 _ . -, starting with a letter')
    .optional(),
  attribution_window_days: z.number().int('Must be a whole number of days from 1 to 365').min(1, 'Must be a whole number of days from 1 to 365').max(365, 'Must be a whole number of days from 1 to 365').optional(),
  allowed_origins: z
    .array(origin)
    .max(50, 'At most 50 origins')
    .transform((origins) => [...new Set(origins)])
    .optional(),
});

export const CONVERSION_GROUP_BY = [...GROUP_BY, 'campaign'] as const;

export const conversionAnalyticsQuery = analyticsQuery.extend({
  group_by: z
    .enum(CONVERSION_GROUP_BY)
    .default('timeseries')
    .describe('timeseries, or the dimension to count by; browser and os have clicks only (conversions are not grouped by them)'),
  campaign_id: idOf('camp').optional().describe('Only links of this campaign (clicks: links in it now; conversions: attributed to it)'),
});

export const conversionExportQuery = exportQuery.omit({ include_bots: true }).extend({
  campaign_id: idOf('camp').optional().describe('Only conversions attributed to this campaign'),
});

const counts = {
  clicks: z.number().int(),
  unique_visitors: z.number().int(),
  leads: z.number().int(),
  sales: z.number().int(),
  revenue: z.record(z.string(), z.number().int()).describe('Sales amounts per ISO currency, in minor units'),
};

export const conversionReport = z.object({
  group_by: z.enum(CONVERSION_GROUP_BY),
  interval: z.enum(INTERVALS),
  timezone: z.string(),
  start: timestamp,
  end: timestamp,
  totals: z.object(counts),
  data: z.array(z.union([z.object({ start: timestamp, ...counts }), z.object({ value: z.string().nullable(), ...counts })])),
});
