import { z } from 'zod/v4';
import type { PublicUtmTemplate } from '../domain/organization/utm-templates';
import { listQuery, requiredText, timestamp } from './common';
import { optionalText } from './links';

/** The five UTM fields as request input: trimmed, up to 255 characters; '' or null clears. */
export const utmInput = {
  utm_source: optionalText(255).describe('utm_source'),
  utm_medium: optionalText(255).describe('utm_medium'),
  utm_campaign: optionalText(255).describe('utm_campaign'),
  utm_term: optionalText(255).describe('utm_term'),
  utm_content: optionalText(255).describe('utm_content'),
};

export const utmOutput = {
  utm_source: z.string().nullable(),
  utm_medium: z.string().nullable(),
  utm_campaign: z.string().nullable(),
  utm_term: z.string().nullable(),
  utm_content: z.string().nullable(),
};

export const utmTemplate = z.object({
  id: z.string().describe('utm_…'),
  name: z.string(),
  ...utmOutput,
  created_at: timestamp,
  updated_at: timestamp,
}) satisfies z.ZodType<PublicUtmTemplate>;

export const createUtmTemplateBody = z.strictObject({ name: requiredText(100), ...utmInput });
export const updateUtmTemplateBody = createUtmTemplateBody.partial();
export const listUtmTemplatesQuery = listQuery.strict();
