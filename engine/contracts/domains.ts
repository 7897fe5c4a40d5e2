import { z } from 'zod/v4';
import type { CustomDomain } from '../domain/custom-domains';
import { customDomainOf } from '../domain/hostnames';
import { toIso } from '../support/time';
import { listQuery, timestamp } from './common';

export const domain = z.object({
  id: z.string().describe('dom_…'),
  hostname: z.string().describe('Lower case; an internationalised name in its punycode (xn--) form'),
  is_default: z.boolean().describe('New links that name no domain get this one'),
  secure: z.boolean().describe('Short URLs on it use https:// (false: http://)'),
  created_at: timestamp,
});

export const serializeDomain = (d: CustomDomain): z.infer<typeof domain> => ({
  id: d.id,
  hostname: d.hostname,
  is_default: d.isDefault,
  secure: d.secure,
  created_at: toIso(d.createdAt) as string,
});

/** A custom domain's host name, checked strictly and returned in canonical form. */
export const hostnameInput = z
  .string()
  .max(1000, { message: 'Must be at most 253 characters', abort: true })
  .transform((value, ctx) => {
    const checked = customDomainOf(value);
    if ('problem' in checked) {
      ctx.addIssue({ code: 'custom', message: checked.problem });
      return z.NEVER;
    }
    return checked.hostname;
  })
  .describe(
    'A host name you point at this MASK instance, e.g. go.example.com: at least two labels, no scheme, path, port or IP ' +
      'address (ports only on localhost and *.localhost development hosts). Unicode names are stored in punycode.',
  );

export const createDomainBody = z.strictObject({
  hostname: hostnameInput,
  is_default: z.boolean().default(false).describe('Also make it the workspace default domain'),
  secure: z.boolean().optional().describe('Short URLs use https:// (default; false for development hosts)'),
});

export const updateDomainBody = z.strictObject({
  is_default: z
    .boolean()
    .optional()
    .describe('true: make it the workspace default; false (on the default): hand the default back to the instance domain'),
  secure: z.boolean().optional(),
});

export const listDomainsQuery = listQuery.strict();
