import { z } from 'zod/v4';
import { TimeZone } from '../analytics/zone';
import { countryCode, languageTag } from '../domain/routing/codes';
import { instantOf, secondsOfDay } from '../domain/routing/match';
import {
  CONDITION_TYPES,
  DEVICE_TYPES,
  MAX_CONDITIONS,
  MAX_RULES,
  MAX_VARIANTS,
  MIN_VARIANTS,
  WEEKDAYS,
  type Condition,
  type Preview,
  type Variant,
} from '../domain/routing/types';
import type { UrlPolicy } from '../domain/links/urls';
import { idOf, timestamp } from './common';
import { destination, optionalDestination, optionalText, SINGLE_LINE_CONTROL } from './text';

const MAX_VALUES = 50;

const name = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'Must not be empty')
    .max(max, `Must be at most ${max} characters`)
    .refine((value) => !SINGLE_LINE_CONTROL.test(value), 'Must not contain control characters');

/** A list of 1–50 values, each checked (and normalised) by `item`. */
const values = <T extends z.ZodType>(item: T) => z.array(item).min(1, 'Give at least one value').max(MAX_VALUES, `At most ${MAX_VALUES} values`);

const country = z.string().transform((value, ctx) => {
  const code = countryCode(value);
  if (code === null) ctx.addIssue({ code: 'custom', message: `Unknown country "${value}": use an ISO 3166-1 alpha-2 code such as US or DE` });
  return code ?? value;
});

const language = z.string().transform((value, ctx) => {
  const tag = languageTag(value);
  if (tag === null) ctx.addIssue({ code: 'custom', message: `Unknown language "${value}": use a language tag such as de, en-US or pt-BR` });
  return tag ?? value;
});

const host = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/, 'Must be a host name such as t.co or news.example.com');

const UTC = TimeZone.of('UTC') as TimeZone;
const TIME_MESSAGE = 'Must be a time of day (HH:MM or HH:MM:SS) or an ISO 8601 date and time (with a zone, or read in timezone)';
const timePoint = z.string().refine((value) => secondsOfDay(value) !== null || instantOf(value, UTC) !== null, TIME_MESSAGE);

/** Seconds of the day, or an instant (local times read in `zone`); null when `value` is neither (already reported). */
const timeValue = (value: string, zone: TimeZone): { kind: 'day' | 'instant'; at: number } | null => {
  const seconds = secondsOfDay(value);
  if (seconds !== null) return { kind: 'day', at: seconds };
  const at = instantOf(value, zone);
  return at === null ? null : { kind: 'instant', at };
};

const FULL_DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
/** `Monday`, `monday` and `MON` all mean `mon`. */
const weekday = z.preprocess(
  (value) => (typeof value === 'string' && FULL_DAYS.includes(value.toLowerCase()) ? value.toLowerCase().slice(0, 3) : typeof value === 'string' ? value.toLowerCase() : value),
  z.enum(WEEKDAYS, { message: `Must be one of ${WEEKDAYS.join(', ')}` }),
);

const timeCondition = z
  .strictObject({
    type: z.literal('time'),
    start: timePoint.describe('Start (inclusive): HH:MM[:SS] in `timezone` every day, or an ISO 8601 date and time (without a zone: read in `timezone`)'),
    end: timePoint.describe('End (exclusive): same form as start, and after it'),
    days: z
      .array(weekday)
      .min(1, 'Give at least one day, or leave days out for every day')
      .transform((days) => [...new Set(days)])
      .optional()
      .describe('Only on these days of the week (in `timezone`); omitted: every day'),
    timezone: z
      .string()
      .refine((zone) => TimeZone.of(zone) !== null, 'Unknown time zone: use an IANA name such as Europe/Berlin or UTC')
      .default('UTC')
      .describe('IANA time zone of the times of day and of the days (default UTC)'),
  })
  .superRefine((condition, ctx) => {
    const zone = TimeZone.of(condition.timezone) ?? UTC;
    const start = timeValue(condition.start, zone);
    const end = timeValue(condition.end, zone);
    if (!start || !end) return;
    if (start.kind !== end.kind) ctx.addIssue({ code: 'custom', path: ['end'], message: 'Must be of the same form as start (both times of day, or both timestamps)' });
    else if (end.at <= start.at) ctx.addIssue({ code: 'custom', path: ['end'], message: 'Must be after start (for a window across midnight, use two rules)' });
  });

const CONDITIONS = [
  z.strictObject({ type: z.literal('country'), values: values(country).describe('ISO 3166-1 alpha-2 codes; the country comes from the configured country header or GeoIP database') }),
  z.strictObject({ type: z.literal('device'), values: values(z.enum(DEVICE_TYPES, { message: `Must be one of ${DEVICE_TYPES.join(', ')}` })) }),
  z.strictObject({ type: z.literal('os'), values: values(name(64)).describe('OS names as ua-parser-js gives them (iOS, Android, Windows, macOS, Linux…), any case') }),
  z.strictObject({ type: z.literal('browser'), values: values(name(64)).describe('Browser names as ua-parser-js gives them (Chrome, Safari, Firefox, Edge…), any case') }),
  z.strictObject({
    type: z.literal('language'),
    values: values(language).describe('Language tags; the visitor’s most preferred Accept-Language entry (by q-value) must be one, or a regional form of one (de matches de-AT)'),
  }),
  timeCondition,
  z.strictObject({
    type: z.literal('query'),
    name: name(100).describe('A query parameter of the short URL'),
    value: z.string().max(500, 'Must be at most 500 characters').optional().describe('The parameter must have this value; omitted: it need only be present'),
  }),
  z.strictObject({ type: z.literal('referrer'), values: values(host).describe('Referrer host names; a subdomain of one matches too') }),
  z.strictObject({ type: z.literal('bot'), value: z.boolean().default(true).describe('true: the visitor is a bot (isbot); false: a person') }),
] as const;

export const condition = z.discriminatedUnion('type', [...CONDITIONS], {
  error: (issue) => (issue.code === 'invalid_union' ? `Unknown condition type: expected one of ${CONDITION_TYPES.join(', ')}` : undefined),
}) satisfies z.ZodType<Condition>;

/** 2–10 weighted destinations whose weights add up to 100; each URL once. */
export const variantsSchema = (policy: UrlPolicy) =>
  z
    .array(
      z.strictObject({
        url: destination(policy).describe('Destination of this variant (same rules as a link’s url)'),
        weight: z.number().int('Must be a whole number from 1 to 100').min(1, 'Must be a whole number from 1 to 100').max(100, 'Must be a whole number from 1 to 100'),
      }),
    )
    .min(MIN_VARIANTS, `Give ${MIN_VARIANTS} to ${MAX_VARIANTS} variants`)
    .max(MAX_VARIANTS, `Give ${MIN_VARIANTS} to ${MAX_VARIANTS} variants`)
    .superRefine((variants, ctx) => {
      const seen = new Map<string, number>();
      variants.forEach((variant, index) => {
        if (typeof variant?.url !== 'string') return;
        const first = seen.get(variant.url);
        if (first !== undefined) ctx.addIssue({ code: 'custom', path: [index, 'url'], message: `Overlaps variant ${first}: each variant needs its own URL` });
        else seen.set(variant.url, index);
      });
      const total = variants.reduce((sum, variant) => sum + (typeof variant?.weight === 'number' ? variant.weight : 0), 0);
      if (variants.every((variant) => Number.isInteger(variant?.weight)) && total !== 100) {
        ctx.addIssue({ code: 'custom', message: `Weights must add up to 100 (they add up to ${total})` });
      }
    })
    .nullable()
    .optional()
    .describe(
      `A/B split: ${MIN_VARIANTS}–${MAX_VARIANTS} weighted destinations, weights adding up to 100. Each visitor keeps their variant; bots get the primary url. null: no split.`,
    ) satisfies z.ZodType<Variant[] | null | undefined>;

export const previewSchema = (policy: UrlPolicy) =>
  z
    .strictObject({
      title: optionalText(200).describe('og:title / twitter:title, at most 200 characters'),
      description: optionalText(500).describe('og:description / twitter:description, at most 500 characters'),
      image_url: optionalDestination(policy).describe('og:image / twitter:image: an image URL (same rules as a link’s url)'),
    })
    .transform((preview): Preview | null => {
      const value = { title: preview.title ?? null, description: preview.description ?? null, image_url: preview.image_url ?? null };
      return value.title === null && value.description === null && value.image_url === null ? null : value;
    })
    .nullable()
    .optional()
    .describe('Social preview: known link-preview crawlers (Slack, X, Facebook, LinkedIn, Discord, WhatsApp, iMessage, Telegram…) get an HTML page with these Open Graph and Twitter Card tags instead of the redirect. null: none.');

export const publicVariant = z.object({ url: z.string(), weight: z.number().int() });
export const publicPreview = z.object({ title: z.string().nullable(), description: z.string().nullable(), image_url: z.string().nullable() });

/** Request bodies of the rules API; they depend on the URL policy. */
export function ruleBodies(policy: UrlPolicy) {
  const fields = {
    conditions: z
      .array(condition)
      .min(1, 'Give at least one condition')
      .max(MAX_CONDITIONS, `At most ${MAX_CONDITIONS} conditions`)
      .describe('All must hold for the rule to match'),
    url: destination(policy).describe('Where a matching visitor goes (the link’s UTM parameters and forwarded query are added)'),
    variants: variantsSchema(policy),
  };
  const createRuleBody = z.strictObject({
    ...fields,
    position: z
      .number()
      .int('Must be a whole number of at least 0')
      .min(0, 'Must be a whole number of at least 0')
      .optional()
      .describe('Where to insert it (0: first); omitted or past the end: last'),
  });
  const updateRuleBody = z.strictObject(fields).partial();
  const replaceRulesBody = z.strictObject({
    rules: z.array(z.strictObject(fields)).max(MAX_RULES, `At most ${MAX_RULES} rules per link`).describe('The whole ordered list; first match wins'),
  });
  return { createRuleBody, updateRuleBody, replaceRulesBody };
}

export const reorderRulesBody = z.strictObject({
  rule_ids: z.array(idOf('rule')).describe('Every rule of the link exactly once, in the new order'),
});

export const ruleParams = z.strictObject({ id: idOf('lnk'), rule_id: idOf('rule') });

export const rule = z.object({
  id: z.string().describe('rule_…'),
  link_id: z.string(),
  position: z.number().int().describe('0 is evaluated first'),
  conditions: z.array(z.record(z.string(), z.unknown())).describe('As given, normalised (country codes upper case, language tags canonical)'),
  url: z.string(),
  variants: z.array(publicVariant).nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});

export const ruleList = z.object({
  data: z.array(rule),
  pagination: z.object({ has_more: z.boolean(), cursor: z.string().nullable() }),
});
