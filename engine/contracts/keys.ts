import { z } from 'zod/v4';
import type { ApiKey } from '../domain/keys';
import { SCOPES } from '../domain/scopes';
import { canonicalAllowEntry, MAX_ALLOWED_IPS } from '../domain/ip-allow-list';
import { toIso } from '../support/time';
import { listQuery, nullableTimestamp, requiredText, timestamp } from './common';

export const scope = z.enum(SCOPES);

export const MAX_RATE_LIMIT = 100_000;

const rateLimit = z
  .number()
  .int('Must be a whole number of requests per minute')
  .min(1, 'Must be at least 1 request per minute')
  .max(MAX_RATE_LIMIT, `Must be at most ${MAX_RATE_LIMIT} requests per minute`)
  .nullable()
  .describe(
    'Requests per minute for this key; null: the plan’s rate_limit_per_key, then the instance default (1,000). ' +
      'Setting it can only lower that limit (422 otherwise): raising it is the operator’s plan change.',
  );

const ALLOWED_IPS_HELP =
  'IPv4 and IPv6 addresses and CIDR ranges (e.g. 203.0.113.7, 10.0.0.0/8, 2001:db8::/32) the key may be used from; a ' +
  'request from any other address answers 403 forbidden. null or []: any address. Behind a reverse proxy set TRUST_PROXY, ' +
  'so the client address is the real one.';

/** Each entry checked on its own (the 422 names the bad ones) and stored canonical: host bits cleared, IPv4-mapped unwrapped. */
const allowedIps = z
  .array(z.string().max(100, 'Must be at most 100 characters'))
  .max(MAX_ALLOWED_IPS, `At most ${MAX_ALLOWED_IPS} entries`)
  .nullable()
  .transform((entries, ctx) => {
    if (entries === null) return null;
    const canonical: string[] = [];
    entries.forEach((entry, index) => {
      const result = canonicalAllowEntry(entry);
      if ('problem' in result) ctx.addIssue({ code: 'custom', message: result.problem, path: [index] });
      else if (!canonical.includes(result.entry)) canonical.push(result.entry);
    });
    return canonical.length ? canonical : null;
  })
  .describe(ALLOWED_IPS_HELP);

export const apiKey = z.object({
  id: z.string().describe('key_…'),
  name: z.string(),
  mode: z.enum(['live', 'test']),
  prefix: z.string().describe('First characters of the key, for recognising it'),
  last4: z.string(),
  scopes: z.array(scope),
  rate_limit: rateLimit,
  effective_rate_limit: z
    .number()
    .int()
    .describe('Requests per minute this key gets now: its own rate_limit capped by the plan’s rate_limit_per_key; without its own, the plan’s, else the instance default'),
  allowed_ips: z.array(z.string()).nullable().describe(ALLOWED_IPS_HELP),
  created_at: timestamp,
  last_used_at: nullableTimestamp,
  expires_at: nullableTimestamp.describe('Set while a rotated key is in its grace period'),
  revoked_at: nullableTimestamp,
  rotated_to: z.string().nullable(),
});

/** `effectiveRateLimit`: from KeyService.effectiveRateLimits, which knows the plan. */
export const serializeKey = (key: ApiKey, effectiveRateLimit: (key: ApiKey) => number): z.infer<typeof apiKey> => ({
  id: key.id,
  name: key.name,
  mode: key.mode,
  prefix: key.prefix,
  last4: key.last4,
  scopes: key.scopes,
  rate_limit: key.rateLimit,
  effective_rate_limit: effectiveRateLimit(key),
  allowed_ips: key.allowedIps,
  created_at: toIso(key.createdAt) as string,
  last_used_at: toIso(key.lastUsedAt),
  expires_at: toIso(key.expiresAt),
  revoked_at: toIso(key.revokedAt),
  rotated_to: key.rotatedTo,
});

export const createdApiKey = apiKey.extend({
  key: z.string().describe('The full key. Shown only in this response; store it now.'),
});

export const createKeyBody = z.strictObject({
  name: requiredText(200).describe('A label for people: one line, at most 200 characters'),
  scopes: z.array(scope).min(1, 'Give at least one scope').max(SCOPES.length),
  rate_limit: rateLimit.optional(),
  allowed_ips: allowedIps.optional(),
});

export const updateKeyBody = createKeyBody
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'Give at least one of name, scopes, rate_limit, allowed_ips');

export const rotateKeyBody = z.strictObject({
  grace_seconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600, 'At most 7 days')
    .default(0)
    .describe('How long the old key keeps working (0: revoked at once)'),
});

export const rotatedApiKey = createdApiKey.extend({ previous: apiKey });

export const listKeysQuery = listQuery.extend({ include_revoked: z.enum(['true', 'false']).default('false') }).strict();

export const me = z.object({
  workspace: z.object({ id: z.string(), name: z.string(), default_domain: z.string() }),
  key: z.object({ id: z.string(), name: z.string(), prefix: z.string(), last4: z.string() }).nullable().describe('null when a dashboard session calls'),
  scopes: z.array(scope),
  mode: z.enum(['live', 'test']),
});
