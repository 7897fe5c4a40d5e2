import { z } from 'zod/v4';
import { canonicalHost } from '../domain/hostnames';
import type { LinkDraft, LinkPatch } from '../domain/links/fields';
import type { PublicLink } from '../domain/links/serializer';
import { slugProblem } from '../domain/links/slugs';
import { MAX_URL_LENGTH, type UrlPolicy } from '../domain/links/urls';
import { errorResponse, idOf, isoDateTimeInput, listQuery, nullableTimestamp, timestamp } from './common';
import { previewSchema, publicPreview, publicVariant, variantsSchema } from './routing';
import { linkOrganizationInput, linkOrganizationOutput, utmTemplateChoice } from './link-organization';
import { checkedString, destination, optionalDestination, optionalText, orNone, SINGLE_LINE_CONTROL } from './text';

export const MAX_TAGS = 10;
export const MAX_TAG_LENGTH = 50;
export const MAX_BULK_LINKS = 100;

export { destination, optionalDestination, optionalText, SINGLE_LINE_CONTROL } from './text';

const slug = orNone(checkedString((value) => (value === '' ? null : slugProblem(value)))).describe(
  'Custom slug: 4–64 characters of A–Z a–z 0–9 "-" "_", starting with a letter or digit; case-sensitive. Omitted: a random 7-character slug.',
);

export const domain = orNone(
  z.string().transform((value, ctx) => {
    if (value.trim() === '') return '';
    const host = canonicalHost(value);
    if (host === null) ctx.addIssue({ code: 'custom', message: 'Must be a host name such as go.example.com' });
    return host ?? value;
  }),
).describe('The instance domain or one of the workspace’s domains. Omitted: the workspace default.');

const tag = z
  .string()
  .trim()
  .min(1, 'A tag cannot be empty')
  .max(MAX_TAG_LENGTH, `A tag must be at most ${MAX_TAG_LENGTH} characters`)
  .refine((value) => !SINGLE_LINE_CONTROL.test(value), 'Must not contain control characters');

const tags = z
  .array(tag)
  .max(MAX_TAGS, `At most ${MAX_TAGS} tags`)
  .nullable()
  .transform((value) => [...new Set(value ?? [])])
  .optional()
  .describe(`Up to ${MAX_TAGS} tags of 1–${MAX_TAG_LENGTH} characters; duplicates are dropped, order is kept. null: none.`);

const maxClicks = z
  .number({ message: 'Must be a whole number of at least 1' })
  .int('Must be a whole number of at least 1')
  .min(1, 'Must be a whole number of at least 1')
  .max(2_147_483_647, 'Must be at most 2147483647')
  .nullable()
  .optional()
  .describe('The link stops redirecting after this many counted clicks.');

const password = z
  .string()
  .min(4, 'Must be at least 4 characters')
  .max(128, 'Must be at most 128 characters')
  .nullable()
  .optional()
  .describe('Visitors must enter it before being redirected. Write-only: stored as an scrypt hash, never returned. null: remove.');

export const MAX_EXTERNAL_ID_LENGTH = 255;

const externalId = optionalText(MAX_EXTERNAL_ID_LENGTH).describe(
  `Your own id for the link, at most ${MAX_EXTERNAL_ID_LENGTH} characters; unique per workspace (409 when taken). PUT /links/upsert finds links by it.`,
);

export interface LinkContractPolicy extends UrlPolicy {
  /** Current time in epoch milliseconds: `expires_at` must lie after it. */
  now(): number;
}

/** Request bodies of create, update and bulk create; they depend on the URL policy and the clock. */
export function linkBodies(policy: LinkContractPolicy) {
  const schemes = policy.allowHttp ? 'https:// (or http://, allowed by this instance)' : 'https://';
  const fields = {
    url: destination(policy).describe(`The destination: ${schemes}, at most ${MAX_URL_LENGTH} characters, no credentials.`),
    slug,
    domain,
    title: optionalText(500).describe('Descriptive title, at most 500 characters.'),
    tags,
    utm_source: optionalText(255).describe('Added to the destination as utm_source at redirect time.'),
    utm_medium: optionalText(255).describe('Added to the destination as utm_medium at redirect time.'),
    utm_campaign: optionalText(255).describe('Added to the destination as utm_campaign at redirect time.'),
    starts_at: isoDateTimeInput.nullable().optional().describe('The link redirects only from this time on.'),
    expires_at: isoDateTimeInput
      .refine((date) => date.getTime() > policy.now(), 'Must be in the future')
      .nullable()
      .optional()
      .describe('The link stops redirecting at this time; must be in the future and after starts_at.'),
    max_clicks: maxClicks,
    password,
    ios_target: optionalDestination(policy).describe('Destination for iOS devices; same rules as url.'),
    android_target: optionalDestination(policy).describe('Destination for Android devices; same rules as url.'),
    notes: optionalText(500, true).describe('Private note, at most 500 characters.'),
    external_id: externalId,
    variants: variantsSchema(policy),
    preview: previewSchema(policy),
    ...linkOrganizationInput,
  };

  // Runs even when other fields failed (`when`), so schedule errors are listed together with field errors.
  const scheduleInOrder = <S extends z.ZodType<{ starts_at?: Date | null; expires_at?: Date | null }>>(schema: S) =>
    schema.refine((value) => !(value?.starts_at instanceof Date && value.expires_at instanceof Date && value.starts_at >= value.expires_at), {
      message: 'Must be before expires_at',
      path: ['starts_at'],
      when: () => true,
    });

  const linkBody = z.strictObject(fields);
  const createLinkBody = scheduleInOrder(linkBody.extend(utmTemplateChoice)) satisfies z.ZodType<LinkDraft>;
  // The same fields, all optional.
  const updateLinkBody = scheduleInOrder(
    linkBody.partial().extend({
      slug: fields.slug.describe('Cannot be changed: accepted only with the link’s current value.'),
      domain: fields.domain.describe('Cannot be changed: accepted only with the link’s current value.'),
    }),
  ) satisfies z.ZodType<LinkPatch>;

  // Items are validated one by one by the bulk handler, so one bad item never fails the others; the document still
  // shows their real schema.
  const { $schema: _ignored, ...itemSchema } = z.toJSONSchema(createLinkBody, { io: 'input', unrepresentable: 'any' });
  const bulkCreateLinksBody = z.strictObject({
    links: z
      .array(z.unknown().meta({ ...itemSchema, description: 'A link, exactly as the body of POST /links' }))
      .min(1, 'Give at least one link')
      .max(MAX_BULK_LINKS, `At most ${MAX_BULK_LINKS} links per request`),
  });

  return { createLinkBody, updateLinkBody, bulkCreateLinksBody };
}

export const link = z.object({
  id: z.string().describe('lnk_…'),
  url: z.string(),
  short_url: z.string().describe('The full short URL, e.g. https://go.example.com/my-link'),
  slug: z.string(),
  domain: z.string(),
  title: z.string().nullable(),
  tags: z.array(z.string()),
  clicks: z.number().int().describe('Counted clicks (bots and HEAD requests excluded)'),
  utm_source: z.string().nullable(),
  utm_medium: z.string().nullable(),
  utm_campaign: z.string().nullable(),
  starts_at: nullableTimestamp,
  expires_at: nullableTimestamp,
  max_clicks: z.number().int().nullable(),
  password_protected: z.boolean().describe('True when visitors must enter a password; the password is never returned'),
  ios_target: z.string().nullable(),
  android_target: z.string().nullable(),
  notes: z.string().nullable(),
  external_id: z.string().nullable().describe('Your own id for the link (PUT /links/upsert finds links by it); unique per workspace'),
  imported_clicks: z.number().int().describe('Clicks the link had in the shortener it was imported from (not included in clicks)'),
  variants: z.array(publicVariant).nullable().describe('A/B split: weighted destinations; null: none'),
  preview: publicPreview.nullable().describe('Social preview shown to link-preview crawlers; null: none'),
  ...linkOrganizationOutput,
  created_at: timestamp,
  updated_at: timestamp,
}) satisfies z.ZodType<PublicLink>;

export const bulkCreateLinksResponse = z.object({
  data: z.array(link).describe('The created links, in the order of their items'),
  errors: z
    .array(z.object({ index: z.number().int().describe('Position of the failed item in `links`'), error: errorResponse.shape.error }))
    .describe('One entry per failed item; nothing of a failed item is stored'),
});

/** Optional filter text: trimmed; empty means no filter. */
export const filterText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Must be at most ${max} characters`)
    .refine((value) => !SINGLE_LINE_CONTROL.test(value), 'Must not contain control characters')
    .transform((value) => value || undefined)
    .optional();

export const LINK_SORTS = ['created_at', 'clicks', 'updated_at'] as const;

export const listLinksQuery = listQuery
  .extend({
    search: filterText(200).describe('Case-insensitive text in the URL, slug or title (% and _ match literally)'),
    tag: filterText(MAX_TAG_LENGTH).describe('Only links with this tag (exact match)'),
    domain: filterText(253)
      .transform((value) => value && (canonicalHost(value) ?? value.toLowerCase()))
      .describe('Only links on this domain'),
    sort: z.enum(LINK_SORTS).default('created_at'),
    order: z.enum(['asc', 'desc']).default('desc'),
    created_after: isoDateTimeInput.optional().describe('Only links created at or after this time'),
    created_before: isoDateTimeInput.optional().describe('Only links created before this time'),
    folder_id: idOf('fld').optional().describe('Only links in this folder'),
    campaign_id: idOf('camp').optional().describe('Only links of this campaign'),
  })
  .strict()
  .refine((q) => !(q.created_after instanceof Date && q.created_before instanceof Date && q.created_after >= q.created_before), {
    message: 'Must be before created_before',
    path: ['created_after'],
    when: () => true,
  });

