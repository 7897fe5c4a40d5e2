import { z } from 'zod/v4';

const MAX_DOCUMENT_BYTES = 128 * 1024;

const bounded = <S extends z.ZodType>(schema: S) =>
  schema.refine((value) => JSON.stringify(value).length <= MAX_DOCUMENT_BYTES, `Must be at most ${MAX_DOCUMENT_BYTES / 1024} KiB of JSON`);

export const deepLinksBody = z.strictObject({
  apple_app_site_association: bounded(z.record(z.string(), z.unknown(), { message: 'Must be a JSON object (e.g. {"applinks": {"details": [...]}})' }))
    .nullable()
    .optional()
    .describe('Served as /.well-known/apple-app-site-association (application/json). null: not served'),
  assetlinks: bounded(z.array(z.record(z.string(), z.unknown(), { message: 'Each statement must be a JSON object' }), { message: 'Must be a JSON array of statements' }))
    .nullable()
    .optional()
    .describe('Served as /.well-known/assetlinks.json (application/json). null: not served'),
});

export const deepLinks = z.object({
  domain_id: z.string(),
  hostname: z.string(),
  apple_app_site_association: z.record(z.string(), z.unknown()).nullable(),
  assetlinks: z.array(z.unknown()).nullable(),
});
