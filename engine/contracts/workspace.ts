import { z } from 'zod/v4';
import { canonicalHost } from '../domain/hostnames';
import type { serializeUsage } from '../domain/plans';
import type { SerializedWorkspace } from '../domain/workspace-settings';
import { requiredText, timestamp } from './common';

export const MAX_CLICKS_PER_MONTH = 1_000_000_000_000;
export const MAX_RATE_LIMIT_PER_KEY = 100_000;

const limit = (max: number, min = 0) => {
  const message = `Must be a whole number from ${min} to ${max}, or null for no limit`;
  return z.number({ message }).int(message).min(min, message).max(max, message).nullable().optional();
};

export const plan = z.object({
  name: z.string(),
  max_links: z.number().int().nullable().describe('Links per mode (live and test each); null: no limit'),
  max_clicks_per_month: z
    .number()
    .int()
    .nullable()
    .describe('Counted clicks per mode in a UTC calendar month; past it new links are refused, redirects go on. null: no limit'),
  rate_limit_per_key: z.number().int().nullable().describe('API requests per minute per key; null: the instance default'),
});

export const workspace = z.object({
  id: z.string().describe('ws_…'),
  name: z.string(),
  default_domain: z.string().describe('Where links that name no domain go: a custom domain or the instance domain'),
  plan,
  created_at: timestamp,
  updated_at: timestamp,
}) satisfies z.ZodType<SerializedWorkspace>;

export const usage = z
  .object({
    mode: z.enum(['live', 'test']).describe('Usage is counted per mode; this is the calling key’s'),
    period_start: timestamp.describe('Start of the current UTC calendar month'),
    period_end: timestamp.describe('Start of the next one, when the monthly click count starts again'),
    links: z.number().int(),
    links_remaining: z.number().int().nullable().describe('null: no limit'),
    clicks_this_month: z.number().int().describe('Counted clicks (no bots, no HEAD requests)'),
    clicks_remaining: z.number().int().nullable().describe('null: no limit'),
  })
  .describe('What the calling key’s mode has used of the plan') satisfies z.ZodType<ReturnType<typeof serializeUsage>>;

export const workspaceWithUsage = workspace.extend({ usage });

export const updateWorkspaceBody = z.strictObject({
  name: requiredText(200).optional(),
  default_domain: z
    .string()
    .transform((value, ctx) => {
      if (value.trim() === '') return null;
      const host = canonicalHost(value);
      if (host === null) ctx.addIssue({ code: 'custom', message: 'Must be a host name such as go.example.com' });
      return host;
    })
    .nullable()
    .optional()
    .describe('One of the workspace’s domains, or the instance domain; null or "": the instance domain'),
  plan: z
    .strictObject({
      name: requiredText(64).optional(),
      max_links: limit(2_147_483_647),
      max_clicks_per_month: limit(MAX_CLICKS_PER_MONTH),
      rate_limit_per_key: limit(MAX_RATE_LIMIT_PER_KEY, 1),
    })
    .optional()
    .describe(
      'Not changeable by the workspace: any `plan` here answers 403. The operator changes plans with ' +
        '`mask workspace plan <workspace id> …` (audited as the system; emits subscription.updated).',
    ),
});
