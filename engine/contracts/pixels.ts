import { z } from 'zod/v4';
import { PIXEL_PROVIDERS, scriptUrlProblem, type PublicPixel } from '../domain/organization/pixels';
import { listQuery, requiredText, timestamp } from './common';

export const pixel = z.object({
  id: z.string().describe('px_…'),
  name: z.string(),
  provider: z.enum(PIXEL_PROVIDERS),
  pixel_id: z.string().nullable().describe('The provider’s pixel or tag id; null for custom pixels'),
  script_url: z.string().nullable().describe('custom pixels: the script the interstitial loads'),
  created_at: timestamp,
  updated_at: timestamp,
}) satisfies z.ZodType<PublicPixel>;

export interface PixelPolicy {
  scriptHosts: readonly string[];
  allowHttp: boolean;
}

/** Request bodies of pixels; a custom script URL must be on the operator's allow-list. */
export function pixelBodies(policy: PixelPolicy) {
  const fields = {
    name: requiredText(100),
    provider: z.enum(PIXEL_PROVIDERS),
    pixel_id: z.string().trim().max(100).nullable().optional().describe('meta: numeric id; google_ads: AW-…; linkedin: partner id; tiktok: pixel code'),
    script_url: z
      .string()
      .max(2000)
      .superRefine((value, ctx) => {
        const problem = scriptUrlProblem(value, policy.scriptHosts, policy.allowHttp);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .nullable()
      .optional()
      .describe(`custom pixels: an https:// script URL on a host of MASK_PIXEL_SCRIPT_HOSTS`),
  };
  return { createPixelBody: z.strictObject(fields), updatePixelBody: z.strictObject(fields).partial() };
}

export const listPixelsQuery = listQuery.strict();
