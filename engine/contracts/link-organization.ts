import { z } from 'zod/v4';
import { MAX_LINK_PIXELS } from '../domain/organization/link-references';
import { idOf } from './common';

const optionalUtm = (name: string) =>
  z
    .string()
    .trim()
    .max(255, 'Must be at most 255 characters')
    .refine((value) => !/\p{Cc}/u.test(value), 'Must not contain control characters')
    .transform((value) => value || null)
    .nullable()
    .optional()
    .describe(`Added to the destination as ${name} at redirect time.`);

/** Link fields for folders, campaigns, the last two UTM fields, conversion tracking and pixels (request side). */
export const linkOrganizationInput = {
  folder_id: idOf('fld').nullable().optional().describe('The folder the link is in (one at most); null: none'),
  campaign_id: idOf('camp').nullable().optional().describe('The campaign the link belongs to (one at most); null: none. At creation its UTM values fill those the link leaves out.'),
  utm_term: optionalUtm('utm_term'),
  utm_content: optionalUtm('utm_content'),
  track_conversions: z
    .boolean({ message: 'Must be true, false or null' })
    .nullable()
    .optional()
    .describe('true: redirects append a click id (see /conversions/settings) for lead and sale tracking; null: on for links in a campaign, otherwise the workspace setting decides'),
  pixel_ids: z
    .array(idOf('px'))
    .max(MAX_LINK_PIXELS, `At most ${MAX_LINK_PIXELS} pixels`)
    .nullable()
    .transform((ids) => [...new Set(ids ?? [])])
    .optional()
    .describe('Retargeting pixels: visitors see a short interstitial page that loads them, then go on at once. null: none'),
};

/** At creation only. */
export const utmTemplateChoice = {
  utm_template_id: idOf('utm').nullable().optional().describe('A UTM template whose values fill the UTM fields this request leaves out (creation only)'),
};

export const linkOrganizationOutput = {
  folder_id: z.string().nullable(),
  campaign_id: z.string().nullable(),
  utm_term: z.string().nullable(),
  utm_content: z.string().nullable(),
  track_conversions: z.boolean().nullable().describe('null: the workspace setting decides'),
  pixel_ids: z.array(z.string()),
};
