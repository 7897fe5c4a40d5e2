import type { LinkRow } from '../../store/links';
import type { ErrorDetail } from '../../support/errors';
import { toIso } from '../../support/time';
import type { LinkOrganizationDraft, LinkOrganizationFields } from './organization';
import type { PublicLink } from './serializer';

/** Fields of the public link copied as they are from input to row. */
export const PLAIN_FIELDS = [
  'url',
  'title',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'max_clicks',
  'ios_target',
  'android_target',
  'notes',
  'external_id',
] as const satisfies ReadonlyArray<keyof PublicLink & keyof LinkRow>;

/**
 * The writable fields of a link, as validated input (dates parsed, text normalised, '' already null): the public
 * link's own fields, with the schedule as dates and the write-only password.
 */
export type LinkFields = Pick<PublicLink, (typeof PLAIN_FIELDS)[number] | 'tags' | 'variants' | 'preview'> & {
  starts_at: Date | null;
  expires_at: Date | null;
  password: string | null;
};

/** A link to create: only `url` is required; no slug → a random one; no domain → the workspace default. */
export type LinkDraft = Partial<LinkFields> & LinkOrganizationDraft & { url: string; slug?: string | null; domain?: string | null };

/** A partial update: absent fields stay, null clears. `slug` and `domain` are accepted only unchanged. */
export type LinkPatch = Partial<LinkFields> & Partial<LinkOrganizationFields> & { slug?: string | null; domain?: string | null };

/**
 * `starts_at` must come before `expires_at`, once a patch is merged with the stored link. The request schema checks
 * the pair when both are in the body; this catches a patch that moves one across the other's stored value.
 */
export function scheduleProblems(
  schedule: { startsAt: number | null; expiresAt: number | null },
  changed: { startsAt: boolean; expiresAt: boolean },
): ErrorDetail[] {
  const { startsAt, expiresAt } = schedule;
  if (startsAt === null || expiresAt === null || startsAt < expiresAt) return [];
  const problems: ErrorDetail[] = [];
  if (changed.startsAt) problems.push({ field: 'starts_at', message: `Must be before expires_at (${toIso(expiresAt)})` });
  if (changed.expiresAt) problems.push({ field: 'expires_at', message: `Must be after starts_at (${toIso(startsAt)})` });
  return problems;
}
