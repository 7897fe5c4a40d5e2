// Import: 100,000 generic-CSV rows (slug, title, tags, creation date, click total) into an embedded engine on SQLite,
// through the same job the API and `mask import` run (rows committed 500 per transaction with their audit entries).
// Also on Postgres when TEST_DATABASE_URL is set. Target: ≤ 60 s embedded. MASK_BENCH_IMPORT_ROWS picks another size.
import { performance } from 'node:perf_hooks';
import { partsOf } from '../../engine/wiring';
import type { TestDialect } from '../../test/support/databases';
import { openBenchEngine, printRows } from '../support';

const ROWS = Number(process.env.MASK_BENCH_IMPORT_ROWS ?? 100_000);
const TARGET_SECONDS = 60;

function csvFile(rows: number): Buffer {
  const lines = ['url,slug,title,tags,created_at,clicks'];
  const start = Date.UTC(2020, 0, 1);
  for (let i = 0; i < rows; i++) {
    lines.push(`https://example.com/articles/${i}?ref=import,imp-${i.toString(36).padStart(6, '0')},Article ${i},news|import,${new Date(start + i * 60_000).toISOString()},${i % 97}`);
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

async function measure(dialect: TestDialect, file: Buffer): Promise<Record<string, string | number>> {
  const bench = await openBenchEngine(dialect, { defaultDomain: 'go.bench.test' }, async () => ({}));
  try {
    const { imports, importRunner } = partsOf(bench.engine);
    const started = performance.now();
    const job = await imports.create(bench.actor, { source: 'csv', options: { on_conflict: 'error' }, fileName: 'bench.csv', file });
    const accepted = performance.now();
    // The engine's own runner may have taken the job first; either way, wait for it to finish.
    while (!(await importRunner.runNow(job.row.id))) {
      const { row } = await imports.get(bench.actor, job.row.id);
      if (row.status === 'completed' || row.status === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    const { row } = await imports.get(bench.actor, job.row.id);
    if (row.created_count !== ROWS) throw new Error(`imported ${row.created_count} of ${ROWS} rows (${row.failed_count} failed)`);
    return {
      dialect,
      rows: ROWS,
      'file MB': (file.length / 1e6).toFixed(1),
      'upload check': `${((accepted - started) / 1000).toFixed(2)} s`,
      total: `${seconds.toFixed(1)} s`,
      'rows/s': Math.round(ROWS / seconds),
      target: `≤ ${TARGET_SECONDS} s ${seconds <= TARGET_SECONDS ? 'met' : 'MISSED'}`,
    };
  } finally {
    await bench.close();
  }
}

export async function run(): Promise<void> {
  const file = csvFile(ROWS);
  const rows = [await measure('sqlite', file)];
  if (process.env.TEST_DATABASE_URL) rows.push(await measure('postgres', file));
  printRows(rows);
}
