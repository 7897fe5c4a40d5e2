import { z } from 'zod/v4';
import type { LinkPatch } from '../domain/links/fields';
import { MAX_BULK_LINKS } from './links';

/** Ids of a bulk change: 1–100; an id that names no link of the caller fails alone (404 in `errors`). */
export const bulkIds = z
  .array(z.string().max(100, 'Must be a link id (lnk_…)'))
  .min(1, 'Give at least one id')
  .max(MAX_BULK_LINKS, `At most ${MAX_BULK_LINKS} ids per request`)
  .describe(`1–${MAX_BULK_LINKS} link ids; each is changed on its own`);

/** Fields one change may not give many links: each link keeps its own address and external id. */
const PER_LINK_FIELDS = ['slug', 'domain', 'external_id'] as const;

/** PATCH /links/bulk: the same change (the body of PATCH /links/:id, without per-link fields) for every id. */
export const bulkUpdateLinksBody = (patch: z.ZodType<LinkPatch>) =>
  z
    .strictObject({ ids: bulkIds, patch: patch.describe('The change, as the body of PATCH /links/:id (slug, domain and external_id excluded)') })
    .superRefine((body, ctx) => {
      for (const field of PER_LINK_FIELDS) {
        if (body.patch[field] !== undefined) ctx.addIssue({ code: 'custom', path: ['patch', field], message: 'Cannot be given to many links at once' });
      }
    });

export const bulkDeleteLinksBody = z.strictObject({ ids: bulkIds });
