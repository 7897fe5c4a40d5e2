import { z } from 'zod/v4';
import { EXPORT_FORMATS } from '../domain/exports/links-export';
import { nullableTimestamp, timestamp } from './common';

export const exportQuery = z.strictObject({
  format: z.enum(EXPORT_FORMATS, { message: 'Must be csv or json' }).default('csv').describe('csv (default) or json'),
});

export const createExportBody = z.strictObject({
  format: z.enum(EXPORT_FORMATS, { message: 'Must be csv or json' }).default('csv'),
});

export const exportJob = z.object({
  id: z.string().describe('exp_…'),
  status: z.enum(['queued', 'running', 'completed', 'failed']),
  format: z.enum(EXPORT_FORMATS),
  row_count: z.number().int().describe('Links in the file, once completed'),
  download_url: z.string().nullable().describe('Where to fetch the file once completed (same credentials)'),
  failure: z.string().nullable(),
  created_at: timestamp,
  finished_at: nullableTimestamp,
});
