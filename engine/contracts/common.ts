import { z } from 'zod/v4';
import type { IdPrefix } from '../support/ids';

export const timestamp = z.string().describe('ISO 8601 UTC timestamp, e.g. 2026-03-13T10:00:00Z');
export const nullableTimestamp = timestamp.nullable();

/**
 * An ISO 8601 timestamp with a time and an explicit zone (`Z` or `±hh:mm`); parsed to a Date. `abort`: zod would
 * otherwise still run the transform on a malformed string and hand later refinements an Invalid Date.
 */
export const isoDateTimeInput = z
  .iso.datetime({ offset: true, abort: true, message: 'Must be an ISO 8601 timestamp with a time zone, e.g. 2026-12-31T23:59:59Z' })
  .transform((value) => new Date(value));

/** Required single-line text: trimmed, 1 to `max` characters, no control characters. */
export const requiredText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'Must not be empty')
    .max(max, `Must be at most ${max} characters`)
    .refine((value) => !/\p{Cc}/u.test(value), 'Must not contain control characters');

export const idOf = (prefix: IdPrefix) =>
  z.string().regex(new RegExp(`^${prefix}_[0-9a-z]{26}$`), `Must be an id starting with ${prefix}_`);

export const idParams = (prefix: IdPrefix) => z.strictObject({ id: idOf(prefix) });

const limit = z.coerce
  .number({ message: 'Must be a whole number from 1 to 100' })
  .int('Must be a whole number from 1 to 100')
  .min(1, 'Must be a whole number from 1 to 100')
  .max(100, 'Must be a whole number from 1 to 100')
  .default(25);

/** Every list endpoint takes these; resources extend the object with their own filters. */
export const listQuery = z.object({
  limit,
  cursor: z.string().min(1).max(2000).optional().describe('Opaque cursor from a previous page'),
});

export const listResponse = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    pagination: z.object({ has_more: z.boolean(), cursor: z.string().nullable() }),
  });

export const deletedResponse = z.object({ deleted: z.literal(true), id: z.string() });

export const errorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    retry_after: z.number().optional(),
    limit: z
      .object({
        name: z.enum(['max_links', 'max_clicks_per_month']),
        max: z.number().int(),
        used: z.number().int(),
        resets_at: z.string().optional().describe('max_clicks_per_month: when the monthly count starts again'),
      })
      .optional()
      .describe('With plan_limit_reached and monthly_click_limit_reached: the plan limit that was reached'),
  }),
});
