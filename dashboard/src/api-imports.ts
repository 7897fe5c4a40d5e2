/** Imports from other shorteners (`POST /imports`), loaded only with the import screen. */
import { id, json, type Page } from './api';

export const IMPORT_SOURCES = ['bitly', 'kutt', 'shlink', 'yourls', 'rebrandly', 'csv'] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];

export interface RowError {
  row: number;
  error: { code: string; message: string; details?: { field: string; message: string }[] };
}

export interface ImportJob {
  id: string;
  status: 'queued' | 'running' | 'completed' | 'failed';
  source: ImportSource;
  file_name: string | null;
  progress: { total_rows: number; processed_rows: number; percent: number };
  report: { created: number; skipped: number; failed: number };
  errors: RowError[];
  failure: string | null;
}

export const imports = {
  /** The file goes as the `file` field of a multipart form; options in the query. */
  start: (file: File, options: { source: ImportSource; on_conflict: 'error' | 'suffix' }) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return json<ImportJob>('POST', '/imports', { query: options, body: form });
  },
  get: (jobId: string) => json<ImportJob>('GET', `/imports/${id(jobId)}`),
  errors: (jobId: string, cursor?: string | null) => json<Page<RowError>>('GET', `/imports/${id(jobId)}/errors`, { query: { limit: 100, cursor } }),
};
