import { useEffect, useState } from 'preact/hooks';
import { ApiError, type FieldError } from '../api';
import { IMPORT_SOURCES, imports, type ImportJob, type ImportSource, type RowError } from '../api-imports';
import { save, TableRegion } from '../components/common';
import { describe, Field, FormError } from '../components/Field';
import { toast } from '../components/Toasts';
import { toCsv } from '../csv';
import { formatNumber } from '../format';
import { errorText } from './SignIn';

const SOURCE_LABELS: Record<ImportSource, string> = {
  bitly: 'Bitly (CSV export)',
  kutt: 'Kutt (JSON or CSV)',
  shlink: 'Shlink (JSON or CSV)',
  yourls: 'YOURLS (CSV or JSON)',
  rebrandly: 'Rebrandly (JSON or CSV)',
  csv: 'MASK or generic CSV / JSON',
};

const POLL_MS = 700;
/** An API error of one row (of an import job, or of a bulk call) with its field details, on one line. */
export const rowErrorText = (e: { message: string; details?: FieldError[] }) => (e.details?.length ? `${e.message} ${e.details.map((d) => `${d.field}: ${d.message}`).join('; ')}` : e.message);

/**
 * Import through `POST /imports`: the file is checked at once (a refusal names the problem), then imported in the
 * background while a progress bar follows the job; the report and the per-row errors (downloadable) come at the end.
 */
export function ShortenerImport() {
  const [source, setSource] = useState<ImportSource>('bitly');
  const [onConflict, setOnConflict] = useState<'error' | 'suffix'>('error');
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [job, setJob] = useState<ImportJob | null>(null);

  // Follows the job until it ends.
  useEffect(() => {
    if (!job || job.status === 'completed' || job.status === 'failed') return;
    const timer = setTimeout(() => {
      imports.get(job.id).then(setJob, (caught) => toast(errorText(caught), 'error'));
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [job]);

  const start = async (event: Event) => {
    event.preventDefault();
    setErrors({});
    if (!file) {
      setErrors({ file: 'Choose the export file first.' });
      return;
    }
    setBusy(true);
    setJob(null);
    try {
      setJob(await imports.start(file, { source, on_conflict: onConflict }));
    } catch (caught) {
      if (caught instanceof ApiError && caught.details.length) {
        const byField = caught.fieldErrors(['source', 'on_conflict', 'file']);
        setErrors({ ...byField, file: [byField.file, byField['']].filter(Boolean).join(' ') || caught.message, '': '' });
      } else setErrors({ '': errorText(caught) });
    } finally {
      setBusy(false);
    }
  };

  const downloadErrors = async () => {
    if (!job) return;
    const all: RowError[] = [];
    let cursor: string | null = null;
    try {
      do {
        const page = await imports.errors(job.id, cursor);
        all.push(...page.data);
        cursor = page.pagination.has_more ? page.pagination.cursor : null;
      } while (cursor);
      save(new Blob([toCsv(['row', 'code', 'error'], all.map((e) => [e.row, e.error.code, rowErrorText(e.error)]))], { type: 'text/csv' }), `import-${job.id}-errors.csv`);
    } catch (caught) {
      toast(errorText(caught), 'error');
    }
  };

  const running = job && (job.status === 'queued' || job.status === 'running');
  return (
    <section class="card" aria-labelledby="shortener-import-title">
      <h2 id="shortener-import-title">Import from another shortener</h2>
      <p class="muted">The file is checked first, then imported in the background. Importing the same file again skips the rows already imported.</p>
      <form onSubmit={start} noValidate>
        <FormError message={errors['']} />
        <div class="grid-2">
          <Field id="shortener-source" label="Source" error={errors.source}>
            <select {...describe('shortener-source', errors.source)} value={source} onChange={(e) => setSource(e.currentTarget.value as ImportSource)}>
              {IMPORT_SOURCES.map((value) => (
                <option value={value} key={value}>
                  {SOURCE_LABELS[value]}
                </option>
              ))}
            </select>
          </Field>
          <Field id="shortener-conflict" label="Slug already taken">
            <select id="shortener-conflict" value={onConflict} onChange={(e) => setOnConflict(e.currentTarget.value as 'error' | 'suffix')}>
              <option value="error">Report the row as an error</option>
              <option value="suffix">Use the next free slug (launch-2)</option>
            </select>
          </Field>
        </div>
        <Field id="shortener-file" label="Export file" error={errors.file}>
          <input type="file" {...describe('shortener-file', errors.file)} accept=".csv,.json,.txt,text/csv,application/json" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        </Field>
        <button type="submit" class="primary" disabled={busy || !!running}>
          {busy ? 'Uploading…' : 'Start import'}
        </button>
      </form>
      {job && (
        <div class="progress" role="status">
          <label for="shortener-import-progress">
            {job.status === 'completed'
              ? 'Import finished'
              : job.status === 'failed'
                ? 'Import failed'
                : `Importing: ${formatNumber(job.progress.processed_rows)} of ${formatNumber(job.progress.total_rows)} rows`}
          </label>
          <progress id="shortener-import-progress" value={job.progress.percent} max={100} />
        </div>
      )}
      {job?.status === 'failed' && <p class="form-error">{job.failure}</p>}
      {job?.status === 'completed' && (
        <>
          <dl class="facts" aria-label="Import report">
            <dt>Created</dt>
            <dd>{formatNumber(job.report.created)}</dd>
            <dt>Skipped (imported before)</dt>
            <dd>{formatNumber(job.report.skipped)}</dd>
            <dt>Failed</dt>
            <dd>{formatNumber(job.report.failed)}</dd>
          </dl>
          {job.errors.length > 0 && (
            <>
              <button type="button" onClick={() => void downloadErrors()}>
                Download row errors (CSV)
              </button>
              <TableRegion label="Rows not imported" columns={['Row', 'Problem']}>
                {job.errors.map((e) => (
                  <tr key={e.row}>
                    <th scope="row">{e.row}</th>
                    <td>{rowErrorText(e.error)}</td>
                  </tr>
                ))}
              </TableRegion>
            </>
          )}
        </>
      )}
    </section>
  );
}
