import { z } from 'zod/v4';
import type { PublicCampaign } from '../domain/organization/campaigns';
import { isoDateTimeInput, listQuery, nullableTimestamp, requiredText, timestamp } from './common';
import { optionalText } from './links';
import { utmInput, utmOutput } from './utm-templates';

export const campaign = z.object({
  id: z.string().describe('camp_…'),
  name: z.string(),
  description: z.string().nullable(),
  starts_at: nullableTimestamp,
  ends_at: nullableTimestamp,
  ...utmOutput,
  created_at: timestamp,
  updated_at: timestamp,
}) satisfies z.ZodType<PublicCampaign>;

const fields = {
  name: requiredText(100),
  description: optionalText(1000, true),
  starts_at: isoDateTimeInput.nullable().optional(),
  ends_at: isoDateTimeInput.nullable().optional(),
  ...utmInput,
};

export const createCampaignBody = z.strictObject(fields).describe('UTM values are the defaults of links created in the campaign (a link’s own values and its template win).');
export const updateCampaignBody = z.strictObject(fields).partial();
export const listCampaignsQuery = listQuery.strict();
