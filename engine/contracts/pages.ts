import { z } from 'zod/v4';
import type { UrlPolicy } from '../domain/links/urls';
import type { PageDraft, PagePatch } from '../domain/pages/fields';
import type { PublicPage } from '../domain/pages/serializer';
import { DEFAULT_THEME, THEME_NAMES } from '../domain/pages/themes';
import { idOf, listQuery, nullableTimestamp, timestamp } from './common';
import { domain, optionalDestination, optionalText, SINGLE_LINE_CONTROL } from './links';

export const PAGE_LIMITS = {
  handleMin: 3,
  handleMax: 64,
  title: 100,
  description: 500,
  label: 100,
  items: 50,
} as const;

const HANDLE = /^[a-z0-9][a-z0-9_-]*$/;

const handle = z
  .string()
  .trim()
  .toLowerCase()
  .min(PAGE_LIMITS.handleMin, `Must be ${PAGE_LIMITS.handleMin}–${PAGE_LIMITS.handleMax} characters`)
  .max(PAGE_LIMITS.handleMax, `Must be ${PAGE_LIMITS.handleMin}–${PAGE_LIMITS.handleMax} characters`)
  .regex(HANDLE, 'May contain only letters, digits, "-" and "_", and must start with a letter or digit')
  .describe(
    `The page's address on its domain: /p/{handle}. ${PAGE_LIMITS.handleMin}–${PAGE_LIMITS.handleMax} letters, digits, "-" or "_"; ` +
      'stored in lower case; unique per domain.',
  );

const label = z
  .string()
  .trim()
  .min(1, 'Must not be empty')
  .max(PAGE_LIMITS.label, `Must be at most ${PAGE_LIMITS.label} characters`)
  .refine((value) => !SINGLE_LINE_CONTROL.test(value), 'Must not contain control characters');

const theme = z.enum(THEME_NAMES, { message: `Must be one of ${THEME_NAMES.join(', ')}` });

/** Request bodies of create and update; URLs follow the instance's URL policy. */
export function pageBodies(policy: UrlPolicy) {
  const item = z
    .strictObject({
      label,
      link_id: idOf('lnk').optional().describe('A link of this workspace (and mode); the page shows its short URL.'),
      url: optionalDestination(policy).describe('Any URL; the page gets a managed short link for it so its clicks are counted.'),
    })
    .refine((value) => Boolean(value.link_id) !== Boolean(value.url), {
      message: 'Give either link_id or url (not both)',
      // Judged even when the label is bad, but not over a malformed link_id or url, which have their own error, nor
      // over an item that is no object at all (null, a string): it has its own type error and no fields to read.
      when: (payload) =>
        typeof payload.value === 'object' &&
        payload.value !== null &&
        !Array.isArray(payload.value) &&
        !payload.issues.some((issue) => issue.path?.[0] === 'url' || issue.path?.[0] === 'link_id'),
    });

  const fields = {
    domain: domain.describe('The instance domain or one of the workspace’s domains. Omitted: the workspace default.'),
    title: optionalText(PAGE_LIMITS.title).describe(`Shown as the page heading, at most ${PAGE_LIMITS.title} characters. None: the handle.`),
    description: optionalText(PAGE_LIMITS.description, true).describe(`A short bio under the title, at most ${PAGE_LIMITS.description} characters.`),
    avatar_url: optionalDestination(policy).describe('Picture shown at the top of the page (a square image looks best).'),
    items: z
      .array(item)
      .max(PAGE_LIMITS.items, `At most ${PAGE_LIMITS.items} items`)
      .describe(`The buttons of the page, in order: up to ${PAGE_LIMITS.items}, each {label, link_id} or {label, url}.`),
  };

  const createPageBody = z.strictObject({
    handle,
    ...fields,
    theme: theme.default(DEFAULT_THEME).describe(`One of ${THEME_NAMES.join(', ')} (default ${DEFAULT_THEME}: light, or dark when the visitor prefers dark).`),
    items: fields.items.default([]),
  }) satisfies z.ZodType<PageDraft>;
  const updatePageBody = z.strictObject({
    handle: handle.optional(),
    ...fields,
    theme: theme.optional(),
    items: fields.items.optional().describe('When given, replaces all items, in this order.'),
  }) satisfies z.ZodType<PagePatch>;
  return { createPageBody, updatePageBody };
}

export const pageItem = z.object({
  label: z.string(),
  link_id: z.string().optional().describe('Present on link items'),
  url: z.string().optional().describe('Present on URL items'),
  short_url: z.string().describe('The address the public page sends visitors to; each visit is counted as a click'),
  clicks: z.number().int().describe('Counted clicks through this item’s short URL'),
});

export const page = z.object({
  id: z.string().describe('pg_…'),
  handle: z.string(),
  domain: z.string(),
  title: z.string().nullable(),
  description: z.string().nullable(),
  avatar_url: z.string().nullable(),
  theme: z.enum(THEME_NAMES),
  items: z.array(pageItem),
  published: z.boolean(),
  published_at: nullableTimestamp.describe('When the page was published; null while it is not'),
  public_url: z.string().describe('Where the page is served once published, e.g. https://go.example.com/p/acme'),
  created_at: timestamp,
  updated_at: timestamp,
}) satisfies z.ZodType<PublicPage>;

export const listPagesQuery = listQuery
  .extend({
    domain: z.string().trim().toLowerCase().max(253).optional().describe('Only pages on this domain'),
    published: z.enum(['true', 'false'], { message: 'Must be true or false' }).optional().describe('Only published (true) or unpublished (false) pages'),
  })
  .strict();

