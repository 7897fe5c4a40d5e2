import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import cliProgress from 'cli-progress';
import { type Command, Option } from 'commander';
import { withEngine } from './cli-engine';
import { importOptionsInput, toImportOptions } from './contracts/imports';
import { systemActor } from './domain/actor';
import { EXPORT_FORMATS, type ExportFormat } from './domain/exports/links-export';
import { presentImport } from './domain/imports/present';
import type { ImportProgress } from './domain/imports/processor';
import { IMPORT_SOURCES } from './domain/imports/sources';
import type { Mode } from './domain/scopes';
import type { Engine } from './index';
import { ApiError } from './support/errors';
import { parseOrThrow } from './web/validation';
import { partsOf } from './wiring/index';

type Print = (line?: string) => void;

interface ImportCliOptions {
  workspace?: string;
  test?: boolean;
  onConflict: string;
  domain?: string;
  mapping?: string;
  delimiter?: string;
  resume?: string;
  progress: boolean;
}

/** An ApiError with its details, one per line (the CLI's error handler prints only the message). */
function explained(error: ApiError): ApiError {
  const details = (error.details ?? []).map((detail) => `\n  ${detail.field}: ${detail.message}`).join('');
  return new ApiError(error.code, `${error.message}${details}`);
}

/** withEngine (migrate, adopt the stored instance domain, act, close), with ApiErrors explained. */
async function usingEngine<T>(action: (engine: Engine) => Promise<T>): Promise<T> {
  try {
    return await withEngine(action);
  } catch (error) {
    throw error instanceof ApiError ? explained(error) : error;
  }
}

/** A progress bar on stderr (a line every 250 ms when stderr is no terminal), so stdout keeps only the report. */
function progressBar(enabled: boolean) {
  if (!enabled) return null;
  return new cliProgress.SingleBar(
    { stream: process.stderr, noTTYOutput: true, notTTYSchedule: 250, format: 'Importing [{bar}] {percentage}% | {value}/{total} rows | {created} created, {skipped} skipped, {failed} failed' },
    cliProgress.Presets.shades_classic,
  );
}

/** Runs the job here when nobody else holds it, otherwise follows the process that does; prints the final report. */
async function runAndReport(engine: Engine, id: string, workspaceId: string, mode: Mode, showProgress: boolean, print: Print): Promise<void> {
  const { imports, importRunner } = partsOf(engine);
  const actor = systemActor(workspaceId, mode);
  const first = await imports.get(actor, id);
  const bar = progressBar(showProgress);
  bar?.start(first.row.total_rows, first.row.processed_rows, { created: first.row.created_count, skipped: first.row.skipped_count, failed: first.row.failed_count });
  const onProgress = (p: ImportProgress) => bar?.update(p.processed, { created: p.created, skipped: p.skipped, failed: p.failed });
  let job = first;
  // Another process may hold the job (a running engine, or a killed one whose lease has not run out yet): follow it,
  // and take the job over once its lease has expired.
  while (!(await importRunner.runNow(id, onProgress))) {
    job = await imports.get(actor, id);
    if (job.row.status !== 'queued' && job.row.status !== 'running') break;
    bar?.update(job.row.processed_rows, { created: job.row.created_count, skipped: job.row.skipped_count, failed: job.row.failed_count });
    await sleep(500);
  }
  job = await imports.get(actor, id);
  bar?.update(job.row.processed_rows, { created: job.row.created_count, skipped: job.row.skipped_count, failed: job.row.failed_count });
  bar?.stop();
  const report = presentImport(job);
  print(`Import ${report.id} ${report.status}: ${report.report.created} created, ${report.report.skipped} skipped, ${report.report.failed} failed of ${report.progress.total_rows} rows.`);
  if (report.failure) print(`Failure: ${report.failure}`);
  for (const { row, error } of report.errors) print(`  row ${row}: ${error.message}${error.details?.map((d) => ` ${d.field}: ${d.message}`).join(';') ?? ''}`);
  if (job.row.failed_count > report.errors.length) print(`  … and ${job.row.failed_count - report.errors.length} more (GET /api/v1/imports/${report.id})`);
  if (report.status === 'failed') process.exitCode = 1;
}

/** `mask import` and `mask export`. */
export function addImportCommands(program: Command, print: Print): void {
  program
    .command('import')
    .description(`Import links from another shortener's export file (${IMPORT_SOURCES.join(', ')}), with a progress bar`)
    .argument('[source]', `the file's format: ${IMPORT_SOURCES.join(', ')}`)
    .argument('[file]', 'the export file (CSV or JSON)')
    .option('--workspace <id>', 'workspace id (ws_…)')
    .option('--test', 'import as test-mode links')
    .addOption(new Option('--on-conflict <how>', 'a slug already taken: a per-row error, or the next free slug-2, slug-3…').choices(['error', 'suffix']).default('error'))
    .option('--domain <host>', 'put every link on this domain of the workspace')
    .option('--mapping <json>', 'generic csv: JSON object from link field to column name, e.g. {"url":"Destination"}')
    .option('--delimiter <name>', 'CSV delimiter: comma, semicolon, tab or pipe (default: guessed)')
    .option('--resume <id>', 'finish an interrupted import (imp_…) instead of starting one')
    .option('--no-progress', 'no progress bar')
    .action((source: string | undefined, file: string | undefined, options: ImportCliOptions) =>
      usingEngine(async (engine) => {
        const { imports } = partsOf(engine);
        if (options.resume) {
          const owner = await imports.ownerOf(options.resume);
          if (!owner) throw new ApiError('not_found', `No import ${options.resume}.`);
          return runAndReport(engine, options.resume, owner.workspaceId, owner.mode, options.progress, print);
        }
        if (!source || !file || !options.workspace) throw new ApiError('validation_error', 'Give <source> <file> and --workspace <id> (or --resume <id>).');
        if (!(await partsOf(engine).workspaces.find(options.workspace))) throw new ApiError('not_found', `No workspace ${options.workspace}.`);
        const input = parseOrThrow(importOptionsInput, {
          source,
          on_conflict: options.onConflict,
          ...(options.domain ? { domain: options.domain } : {}),
          ...(options.mapping ? { mapping: options.mapping } : {}),
          ...(options.delimiter ? { delimiter: options.delimiter } : {}),
        });
        const stat = fs.statSync(file, { throwIfNoEntry: false });
        if (!stat?.isFile()) throw new ApiError('not_found', `No file ${file}.`);
        const { config } = engine;
        if (stat.size > config.importMaxBytes) throw new ApiError('payload_too_large', `${file} is larger than MASK_IMPORT_MAX_BYTES (${config.importMaxBytes} bytes).`);
        const mode: Mode = options.test ? 'test' : 'live';
        const job = await imports.create(systemActor(options.workspace, mode), { source: input.source, options: toImportOptions(input), fileName: path.basename(file), file: fs.readFileSync(file) });
        print(`Import ${job.row.id}: ${job.row.total_rows} rows from ${path.basename(file)} (${input.source}).`);
        await runAndReport(engine, job.row.id, options.workspace, mode, options.progress, print);
      }),
    );

  program
    .command('export')
    .description('Write every link of a workspace as CSV or JSON (the generic csv import reads both back)')
    .requiredOption('--workspace <id>', 'workspace id (ws_…)')
    .option('--test', 'export test-mode links')
    .addOption(new Option('--format <format>', 'csv or json').choices([...EXPORT_FORMATS]).default('csv'))
    .option('--output <file>', 'write here instead of stdout')
    .action((options: { workspace: string; test?: boolean; format: ExportFormat; output?: string }) =>
      usingEngine(async (engine) => {
        if (!(await partsOf(engine).workspaces.find(options.workspace))) throw new ApiError('not_found', `No workspace ${options.workspace}.`);
        const out = options.output ? fs.createWriteStream(options.output) : process.stdout;
        let count = 0;
        for await (const chunk of partsOf(engine).linksExport.chunks({ workspaceId: options.workspace, mode: options.test ? 'test' : 'live' }, options.format, (n) => (count += n))) {
          if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        }
        if (options.output) {
          await new Promise<void>((resolve, reject) => (out as fs.WriteStream).end((error?: Error | null) => (error ? reject(error) : resolve())));
          print(`Exported ${count} links to ${options.output}.`);
        }
      }),
    );
}
