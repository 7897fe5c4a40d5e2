import { z } from 'zod/v4';
import { dateInputProblem } from '../analytics/range';
import { TimeZone } from '../analytics/zone';
import { idOf, timestamp } from './common';
import { filterText, MAX_TAG_LENGTH } from './links';

export const GROUP_BY = ['timeseries', 'referrer', 'country', 'device', 'browser', 'os', 'link', 'rule', 'variant'] as const;
export const INTERVALS = ['hour', 'day', 'week', 'month'] as const;
export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export const MAX_GROUPS = 1000;
export type GroupBy = (typeof GROUP_BY)[number];

const dateInput = (what: string) =>
  z
    .string()
    .superRefine((value, ctx) => {
      const problem = dateInputProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional()
    .describe(`${what}: a timestamp with a zone (2026-11-01T04:00:00Z), or a date or local time read in \`timezone\` (2026-11-01, 2026-11-01T09:30)`);

/** A query-string boolean: the text true or false. */
export const booleanText = z
  .enum(['true', 'false'], { message: 'Must be true or false' })
  .transform((value) => value === 'true');

const GROUPS_MESSAGE = `Must be a whole number from 1 to ${MAX_GROUPS}`;

/** Which clicks: every query and the export take these. */
const filters = z.object({
  link_id: idOf('lnk').optional().describe('Only this link'),
  tag: filterText(MAX_TAG_LENGTH).describe('Only links that carry this tag now'),
  domain: filterText(253)
    .transform((value) => value?.toLowerCase())
    .describe('Only links on this domain'),
  start: dateInput('Start of the range (default: 30 days before end)'),
  end: dateInput('End of the range, exclusive (default: now)'),
  timezone: z
    .string()
    .refine((name) => TimeZone.of(name) !== null, 'Must be an IANA time zone such as Europe/Berlin or UTC')
    .default('UTC')
    .describe('IANA time zone: buckets follow its calendar (daylight-saving days are 23 or 25 hours long), and dates without a zone are read in it'),
  include_bots: booleanText.prefault('false').describe('Also count bots and HEAD requests (recorded, never counted as visits by default)'),
});

export const analyticsQuery = filters
  .extend({
    interval: z.enum(INTERVALS).default('day').describe('Bucket size: hour (ranges up to 31 days), day (up to 2 years), week (Monday, up to 5 years) or month (up to 20 years)'),
    group_by: z.enum(GROUP_BY).default('timeseries').describe('timeseries, or the dimension to count by (top groups first)'),
    limit: z.coerce
      .number({ message: GROUPS_MESSAGE })
      .int(GROUPS_MESSAGE)
      .min(1, GROUPS_MESSAGE)
      .max(MAX_GROUPS, GROUPS_MESSAGE)
      .default(100)
      .describe('How many groups a breakdown returns, most clicks first (ignored by timeseries)'),
  })
  .strict();

export type AnalyticsQuery = z.output<typeof analyticsQuery>;

export const exportQuery = filters
  .extend({
    format: z.enum(EXPORT_FORMATS).default('csv').describe('csv (with a header row) or ndjson (one JSON object per line)'),
  })
  .strict();

const counts = {
  clicks: z.number().int(),
  unique_visitors: z
    .number()
    .int()
    .describe('Visitors counted once per link and UTC day; over several days or links, the sum of those daily counts'),
};

export const analyticsReport = z.object({
  group_by: z.enum(GROUP_BY),
  interval: z.enum(INTERVALS),
  timezone: z.string().describe('The IANA zone used, as requested'),
  start: timestamp.describe('Start of the range, rounded down to the start of its interval in the zone'),
  end: timestamp.describe('End of the range (exclusive), rounded up to the end of its interval in the zone'),
  totals: z.object(counts),
  data: z
    .array(
      z.union([
        z.object({ start: timestamp, ...counts }),
        z.object({ value: z.string().nullable().describe('The group: referrer host, country code, device, browser, OS or link id; null when unknown or direct'), ...counts }),
      ]),
    )
    .describe('timeseries: one item per bucket, empty buckets included; otherwise the top `limit` groups by clicks'),
});
