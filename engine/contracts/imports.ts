import { z } from 'zod/v4';
import { canonicalHost } from '../domain/hostnames';
import type { ImportOptions } from '../domain/imports/options';
import { CSV_DELIMITERS } from '../domain/imports/records';
import { GENERIC_FIELDS, IMPORT_SOURCES } from '../domain/imports/sources';
import { listQuery, nullableTimestamp, timestamp } from './common';
import { SINGLE_LINE_CONTROL } from './links';

const DELIMITER_NAMES: Record<string, (typeof CSV_DELIMITERS)[number]> = { comma: ',', semicolon: ';', tab: '\t', pipe: '|', ',': ',', ';': ';', '\t': '\t', '|': '|' };

const columnName = z
  .string()
  .trim()
  .min(1, 'A column name cannot be empty')
  .max(200, 'Must be at most 200 characters')
  .refine((value) => !SINGLE_LINE_CONTROL.test(value), 'Must not contain control characters');

const mapping = z.partialRecord(z.enum(GENERIC_FIELDS), columnName);

/**
 * The options of an import, from the query string or the form fields of a multipart upload (text values; `mapping`
 * is a JSON object).
 */
export const importOptionsFields = z.strictObject({
    source: z.enum(IMPORT_SOURCES, { message: `Must be one of: ${IMPORT_SOURCES.join(', ')}` }).describe('The export format of the file'),
    on_conflict: z.enum(['error', 'suffix']).default('error').describe('A slug already taken on its domain: a per-row error (default), or the next free slug-2, slug-3…'),
    domain: z
      .string()
      .transform((value, ctx) => {
        const host = canonicalHost(value);
        if (host === null) ctx.addIssue({ code: 'custom', message: 'Must be a host name such as go.example.com' });
        return host ?? value;
      })
      .optional()
      .describe('Put every link on this domain of the workspace. Omitted: a link keeps its domain when the workspace has it, otherwise the default domain'),
    mapping: z
      .string()
      .max(10_000)
      .transform((value, ctx) => {
        try {
          return JSON.parse(value) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'Must be a JSON object such as {"url": "Destination", "slug": "Code"}' });
          return z.NEVER;
        }
      })
      .pipe(mapping)
      .optional()
      .describe(`Generic CSV: a JSON object from link field (${GENERIC_FIELDS.join(', ')}) to the file's column name. Unmapped fields use their own name`),
    delimiter: z
      .string()
      .refine((value) => value in DELIMITER_NAMES, 'Must be comma, semicolon, tab or pipe')
      .transform((value) => DELIMITER_NAMES[value])
      .optional()
      .describe('CSV delimiter: comma, semicolon, tab or pipe. Omitted: guessed from the header line'),
});

export const importOptionsInput = importOptionsFields.refine((value) => value.mapping === undefined || value.source === 'csv', { message: 'Only the generic csv source takes a mapping', path: ['mapping'] });

export const toImportOptions = (input: z.output<typeof importOptionsInput>): ImportOptions => ({
  on_conflict: input.on_conflict,
  ...(input.domain ? { domain: input.domain } : {}),
  ...(input.mapping ? { mapping: input.mapping } : {}),
  ...(input.delimiter ? { delimiter: input.delimiter } : {}),
});

export const rowError = z.object({
  row: z.number().int().describe('1-based data row of the file (the CSV header is not counted)'),
  error: z.object({ code: z.string(), message: z.string(), details: z.array(z.object({ field: z.string(), message: z.string() })).optional() }),
});

export const importJob = z.object({
  id: z.string().describe('imp_…'),
  status: z.enum(['queued', 'running', 'completed', 'failed']),
  source: z.enum(IMPORT_SOURCES),
  file_name: z.string().nullable(),
  file_size: z.number().int().describe('Bytes'),
  options: z.object({
    on_conflict: z.enum(['error', 'suffix']),
    domain: z.string().optional(),
    mapping: z.record(z.string(), z.string()).optional(),
    delimiter: z.string().optional(),
  }),
  progress: z.object({
    total_rows: z.number().int(),
    processed_rows: z.number().int().describe('Rows committed so far; the import resumes here after a restart'),
    percent: z.number().describe('0–100'),
  }),
  report: z.object({
    created: z.number().int().describe('Links created'),
    skipped: z.number().int().describe('Rows imported before (by this source and original id or slug), or repeated in the file'),
    failed: z.number().int().describe('Rows refused; see errors'),
  }),
  errors: z.array(rowError).describe('The first 100 per-row errors, by row'),
  failure: z.string().nullable().describe('Why the whole job failed (status failed)'),
  created_at: timestamp,
  updated_at: timestamp,
  finished_at: nullableTimestamp,
});

export const listImportsQuery = listQuery.strict();
