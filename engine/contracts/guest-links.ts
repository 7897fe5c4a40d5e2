import { z } from 'zod/v4';
import { guestSlugProblem } from '../domain/guest-links/slugs';
import type { GuestLinkDraft } from '../domain/guest-links/service';
import { slugProblem } from '../domain/links/slugs';
import { MAX_URL_LENGTH, type UrlPolicy } from '../domain/links/urls';
import { formatDuration } from '../support/duration';
import { isoDateTimeInput } from './common';
import { destination } from './links';

export interface GuestContractPolicy extends UrlPolicy {
  now(): number;
  lifetimeMs: number;
  /** The dashboard's path segment, which no guest slug may take. */
  dashboardSegment: string;
}

/** The body of POST /links/guest: seed 003's guest fields (originalUrl, customAlias, password, expiresAt) in our names. */
export function guestLinkBody(policy: GuestContractPolicy) {
  const lifetime = formatDuration(policy.lifetimeMs);
  const schemes = policy.allowHttp ? 'https:// (or http://)' : 'https://';
  return z.strictObject({
    url: destination(policy).describe(
      `The destination: ${schemes}, at most ${MAX_URL_LENGTH} characters, a public host (no private, loopback or ` +
        'link-local address, no intranet name, nothing on the instance’s deny-list).',
    ),
    slug: z
      .string()
      .superRefine((value, ctx) => {
        const problem = slugProblem(value) ?? guestSlugProblem(value, policy.dashboardSegment);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .nullable()
      .optional()
      .describe('Custom slug (alias): 4–64 characters of A–Z a–z 0–9 "-" "_"; reserved words refused. Omitted: random.'),
    password: z
      .string()
      .min(4, 'Must be at least 4 characters')
      .max(128, 'Must be at most 128 characters')
      .nullable()
      .optional()
      .describe('Visitors must enter it before being redirected. Stored as an scrypt hash, never returned.'),
    expires_at: isoDateTimeInput
      .refine((date) => date.getTime() > policy.now(), 'Must be in the future')
      .refine((date) => date.getTime() <= policy.now() + policy.lifetimeMs, `Must be at most ${lifetime} from now: guest links last at most that long`)
      .nullable()
      .optional()
      .describe(`An earlier expiry than the default: guest links expire ${lifetime} after creation and are then deleted.`),
  }) satisfies z.ZodType<GuestLinkDraft>;
}
