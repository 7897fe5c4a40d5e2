import { z } from 'zod/v4';
import { idOf, isoDateTimeInput, timestamp } from './common';

export const INTERVALS = ['minute', 'hour', 'day'] as const;

export const usageQuery = z
  .object({
    start: isoDateTimeInput.optional().describe('Start of the range (default: 1 hour, 24 hours or 30 days before end, by interval)'),
    end: isoDateTimeInput.optional().describe('End of the range (default: now)'),
    interval: z.enum(INTERVALS).default('hour').describe('Width of each timeseries point; minute covers only the last 48 hours'),
    key_id: idOf('key').optional().describe('Only this key'),
    method: z
      .string()
      .transform((value) => value.toUpperCase())
      .pipe(z.enum(['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OTHER'], { message: 'Must be GET, POST, PATCH, PUT, DELETE or OTHER' }))
      .optional(),
    route: z
      .string()
      .max(200)
      .regex(/^(\/api\/v1\/[\w\-/:.]*|\(unmatched\))$/, 'Must be a route template such as /api/v1/links/:id, or (unmatched)')
      .optional()
      .describe('Only this endpoint (route template, as listed in `endpoints`)'),
    status: z.coerce
      .number({ message: 'Must be an HTTP status from 100 to 599' })
      .int('Must be an HTTP status from 100 to 599')
      .min(100, 'Must be an HTTP status from 100 to 599')
      .max(599, 'Must be an HTTP status from 100 to 599')
      .optional(),
  })
  .strict();

const metrics = z.object({
  requests: z.number().int(),
  status_classes: z.object({ '2xx': z.number().int(), '3xx': z.number().int(), '4xx': z.number().int(), '5xx': z.number().int() }),
  errors: z.number().int().describe('4xx and 5xx responses'),
  rate_limited: z.number().int().describe('429 responses (also counted in 4xx)'),
  latency_ms: z
    .object({ p50: z.number().nullable(), p95: z.number().nullable(), avg: z.number().nullable() })
    .describe('Server time; percentiles are estimated from fixed histogram buckets; null without requests'),
});

export const usageReport = z.object({
  start: timestamp,
  end: timestamp,
  interval: z.enum(INTERVALS),
  totals: metrics,
  timeseries: z.array(metrics.extend({ start: timestamp })).describe('One point per interval, zeros included'),
  keys: z.array(metrics.extend({ key_id: z.string(), name: z.string().nullable(), prefix: z.string().nullable() })),
  endpoints: z.array(metrics.extend({ method: z.string(), route: z.string().describe('Route template, e.g. /api/v1/links/:id') })),
  statuses: z.array(metrics.extend({ status: z.number().int() })),
});
