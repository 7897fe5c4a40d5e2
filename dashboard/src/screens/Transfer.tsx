import { useState } from 'preact/hooks';
import { json, links, type Link, type LinkInput, type Page } from '../api';
import { PageHead, save, TableRegion } from '../components/common';
import { FIELDS as LINK_FIELDS } from '../components/LinkForm';
import { Field, FormError } from '../components/Field';
import { parseCsv, toCsv } from '../csv';
import { formatNumber } from '../format';
import { useApp } from '../session';
import { rowErrorText, ShortenerImport } from './ShortenerImport';
import { errorText } from './SignIn';
import '../admin.css';

/** Columns an import may have: the writable fields of a link; `url` is required. */
const COLUMNS = LINK_FIELDS;
const CHUNK = 100;
/** Read-only columns of an export: skipped on import, so an exported file imports again. */
const IGNORED = ['id', 'short_url', 'clicks', 'password_protected', 'created_at', 'updated_at'];

const EXPORT_COLUMNS = ['id', 'short_url', 'url', 'slug', 'domain', 'title', 'tags', 'clicks', 'notes', 'utm_source', 'utm_medium', 'utm_campaign', 'ios_target', 'android_target', 'starts_at', 'expires_at', 'max_clicks', 'password_protected', 'created_at', 'updated_at'] as const;

interface RowError {
  line: number;
  values: Record<string, string>;
  message: string;
}

function linkOf(header: string[], row: string[]): { input: LinkInput; values: Record<string, string> } {
  const values: Record<string, string> = {};
  header.forEach((name, i) => (values[name] = (row[i] ?? '').trim()));
  const input: Record<string, unknown> = {};
  for (const name of header) {
    const value = values[name];
    if (value === '' || IGNORED.includes(name)) continue;
    if (name === 'tags') input.tags = value.split(/[,;|]/).map((t) => t.trim()).filter(Boolean);
    else if (name === 'max_clicks') input.max_clicks = /^\d+$/.test(value) ? Number(value) : value;
    else input[name] = value;
  }
  return { input: input as LinkInput, values };
}

export default function Transfer() {
  const app = useApp();
  return (
    <>
      <PageHead title="Import and export" />
      {app.canWrite ? (
        <>
          <ShortenerImport />
          <Import />
        </>
      ) : (
        <section class="card">
          <h2>Import links</h2>
          <p>Your role ({app.role}) cannot create links, so it cannot import them.</p>
        </section>
      )}
      <Export />
    </>
  );
}

function Import() {
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState('');
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<{ created: number; errors: RowError[]; header: string[] } | null>(null);
  const [running, setRunning] = useState(false);

  const run = async (event: Event) => {
    event.preventDefault();
    setProblem('');
    setResult(null);
    if (!file) {
      setProblem('Choose a CSV file first.');
      return;
    }
    const rows = parseCsv(await file.text());
    if (rows.length < 2) {
      setProblem('The file needs a header row and at least one link.');
      return;
    }
    const header = rows[0].map((name) => name.trim().toLowerCase());
    const unknown = header.filter((name) => !(COLUMNS as readonly string[]).includes(name) && !IGNORED.includes(name));
    if (!header.includes('url') || unknown.length) {
      setProblem(
        `${!header.includes('url') ? 'The header needs a url column. ' : ''}${unknown.length ? `Unknown columns: ${unknown.join(', ')}. ` : ''}Columns may be: ${COLUMNS.join(', ')}.`,
      );
      return;
    }
    const items = rows.slice(1).map((row, i) => ({ line: i + 2, ...linkOf(header, row) }));
    setRunning(true);
    setProgress({ done: 0, total: items.length });
    const errors: RowError[] = [];
    let created = 0;
    for (let start = 0; start < items.length; start += CHUNK) {
      const chunk = items.slice(start, start + CHUNK);
      try {
        const answer = await links.bulkCreate(chunk.map((item) => item.input));
        created += answer.data.filter(Boolean).length;
        for (const failure of answer.errors) {
          const item = chunk[failure.index];
          errors.push({ line: item.line, values: item.values, message: rowErrorText(failure.error) });
        }
      } catch (caught) {
        // The whole chunk was refused (e.g. 403, 429): every row of it failed with that message.
        for (const item of chunk) errors.push({ line: item.line, values: item.values, message: errorText(caught) });
      }
      setProgress({ done: Math.min(start + CHUNK, items.length), total: items.length });
    }
    setRunning(false);
    setResult({ created, errors, header });
  };

  const downloadErrors = () => {
    if (!result) return;
    const csv = toCsv(['line', ...result.header, 'error'], result.errors.map((e) => [e.line, ...result.header.map((h) => e.values[h]), e.message]));
    save(new Blob([csv], { type: 'text/csv' }), 'import-errors.csv');
  };

  return (
    <form class="card" onSubmit={run} noValidate aria-labelledby="import-title">
      <h2 id="import-title">Import links from CSV</h2>
      <p>
        A header row names the columns: <span class="mono">url</span> (required) and any of {COLUMNS.slice(1).join(', ')}. Tags are separated by commas or
        semicolons inside their cell. Each row is created as <span class="mono">POST /links</span> would; bad rows are listed and the rest are created.
      </p>
      <FormError message={problem} />
      <Field id="import-file" label="CSV file">
        <input id="import-file" type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
      </Field>
      <button type="submit" class="primary" disabled={running}>
        {running ? 'Importing…' : 'Import'}
      </button>
      {progress && (
        <div class="progress">
          <label for="import-progress">
            {formatNumber(progress.done)} of {formatNumber(progress.total)} rows
          </label>
          <progress id="import-progress" value={progress.done} max={progress.total} />
        </div>
      )}
      <div role="status">
        {result && (
          <p>
            {formatNumber(result.created)} link{result.created === 1 ? '' : 's'} created, {formatNumber(result.errors.length)} row
            {result.errors.length === 1 ? '' : 's'} failed.
          </p>
        )}
      </div>
      {result && result.errors.length > 0 && (
        <>
          <button type="button" onClick={downloadErrors}>
            Download the failed rows (CSV)
          </button>
          <TableRegion label="Rows that failed" columns={['Line', 'URL', 'Error']}>
            {result.errors.slice(0, 200).map((error) => (
              <tr key={error.line}>
                <th scope="row">{error.line}</th>
                <td class="mono truncate">{error.values.url}</td>
                <td>{error.message}</td>
              </tr>
            ))}
          </TableRegion>
        </>
      )}
    </form>
  );
}

function Export() {
  const [count, setCount] = useState<number | null>(null);
  const [error, setError] = useState('');
  const [running, setRunning] = useState(false);
  const run = async (format: 'csv' | 'json') => {
    setRunning(true);
    setError('');
    setCount(0);
    const all: Link[] = [];
    try {
      let cursor: string | null = null;
      do {
        const page: Page<Link> = await json<Page<Link>>('GET', '/links', { query: { limit: 100, cursor, sort: 'created_at', order: 'asc' } });
        all.push(...page.data);
        setCount(all.length);
        cursor = page.pagination.has_more ? page.pagination.cursor : null;
      } while (cursor);
      const stamp = new Date().toISOString().slice(0, 10);
      if (format === 'json') save(new Blob([JSON.stringify(all, null, 2)], { type: 'application/json' }), `links-${stamp}.json`);
      else save(new Blob([toCsv([...EXPORT_COLUMNS], all.map((link) => EXPORT_COLUMNS.map((column) => link[column])))], { type: 'text/csv' }), `links-${stamp}.csv`);
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setRunning(false);
    }
  };
  return (
    <section class="card" aria-labelledby="export-title">
      <h2 id="export-title">Export links</h2>
      <p>Every link of the workspace, oldest first. The CSV imports again as it is (into another workspace, or after deleting the links: slugs are unique).</p>
      <FormError message={error} />
      <div class="actions">
        <button type="button" disabled={running} onClick={() => void run('csv')}>
          Export CSV
        </button>
        <button type="button" disabled={running} onClick={() => void run('json')}>
          Export JSON
        </button>
      </div>
      <p role="status">{count !== null && (running ? `Reading links… ${formatNumber(count)}` : `Exported ${formatNumber(count)} links.`)}</p>
    </section>
  );
}
