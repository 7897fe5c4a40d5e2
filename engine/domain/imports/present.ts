import type { ImportErrorRow } from '../../store/imports';
import { toIso } from '../../support/time';
import type { ImportJob } from './service';
import type { ImportOptions } from './options';
import type { ImportSource } from './sources';

/** A per-row error as stored (the error envelope's `error`, as JSON), as the API and the CLI show it. */
export const presentRowError = ({ row, error }: ImportErrorRow) => ({
  row,
  error: JSON.parse(error) as { code: string; message: string; details?: Array<{ field: string; message: string }> },
});

/** The public import job: progress while it runs, the final report (counts and per-row errors) once it is done. */
export function presentImport({ row, errors }: ImportJob) {
  const options = JSON.parse(row.options) as ImportOptions;
  return {
    id: row.id,
    status: row.status,
    source: row.source as ImportSource,
    file_name: row.file_name,
    file_size: Number(row.file_size),
    options,
    progress: {
      total_rows: row.total_rows,
      processed_rows: row.processed_rows,
      percent: row.total_rows === 0 ? 100 : Math.floor((row.processed_rows / row.total_rows) * 1000) / 10,
    },
    report: { created: row.created_count, skipped: row.skipped_count, failed: row.failed_count },
    errors: errors.map(presentRowError),
    failure: row.failure,
    created_at: toIso(row.created_at) as string,
    updated_at: toIso(row.updated_at) as string,
    finished_at: toIso(row.finished_at),
  };
}
