import type { ImportErrorRow, ImportRow, ImportStore } from '../../store/imports';
import type { Paginator } from '../../store/pagination';
import type { TransactionRunner } from '../../store/transactions';
import { ApiError, notFound, validationError } from '../../support/errors';
import { newId } from '../../support/ids';
import type { Clock } from '../../support/time';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import type { LinkDomains } from '../links/domains';
import type { NewImport } from './options';
import { readRecords } from './records';
import { readRow, urlColumns } from './sources';

/** Per-row errors shown with a job; the count says how many there are in all. */
const ERRORS_SHOWN = 100;

export interface ImportJob {
  row: ImportRow;
  errors: ImportErrorRow[];
}

/**
 * Import jobs: the file is checked (format, source columns, size) when it is uploaded, so a wrong file is refused at
 * once; its rows are then imported in the background (ImportRunner) and the job reports progress and per-row errors.
 */
export class ImportService {
  constructor(
    private readonly store: ImportStore,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly paginator: Paginator,
    private readonly domains: LinkDomains,
    private readonly started: (id: string) => void,
  ) {}

  async create(actor: Actor, input: NewImport): Promise<ImportJob> {
    const { domain } = input.options;
    if (domain && !(await this.domains.forWorkspace(actor.workspaceId)).has(domain)) {
      throw validationError([{ field: 'domain', message: `${domain} is not a domain of this workspace` }]);
    }
    const parsed = await readRecords(input.file, { delimiter: input.options.delimiter });
    if (parsed.records.length === 0) throw validationError([{ field: 'file', message: 'The file has no rows to import' }]);
    const wanted = urlColumns(input.source, input.options);
    if (!wanted.some((column) => parsed.fields.includes(column))) {
      const seen = parsed.headers.slice(0, 20).map((name) => JSON.stringify(name)).join(', ') || '(none)';
      const delimiter = parsed.delimiter ? ` read with the delimiter ${JSON.stringify(parsed.delimiter)}` : '';
      throw validationError([
        { field: 'file', message: `No destination column for a ${input.source} file (expected one of: ${wanted.join(', ')}); the file${delimiter} has: ${seen}` },
      ]);
    }
    // A source whose every row lacks a URL is the wrong format, not a file of bad rows.
    if (!parsed.records.some((record) => readRow(input.source, record, input.options).fields.url)) {
      throw validationError([{ field: 'file', message: `No row has a destination URL for the ${input.source} format` }]);
    }
    const now = this.clock.now();
    const row: ImportRow = {
      id: newId('imp', now.getTime()),
      workspace_id: actor.workspaceId,
      mode: actor.mode,
      source: input.source,
      status: 'queued',
      options: JSON.stringify(input.options),
      file_name: input.fileName,
      file_size: input.file.length,
      total_rows: parsed.records.length,
      processed_rows: 0,
      created_count: 0,
      skipped_count: 0,
      failed_count: 0,
      failure: null,
      actor_key_id: actor.keyId,
      actor_user_id: actor.userId ?? null,
      request_id: actor.requestId,
      lease_until: 0,
      created_at: now.getTime(),
      updated_at: now.getTime(),
      finished_at: null,
    };
    await this.transactions.run(async (trx) => {
      await this.store.insert({ ...row, file: input.file }, trx);
      await recordAudit(trx, actor, { action: 'import.created', resourceType: 'import', resourceId: row.id, after: { source: row.source, file_name: row.file_name, rows: row.total_rows } }, now);
    });
    this.started(row.id);
    return { row, errors: [] };
  }

  /** Whose job `id` is (for the CLI, which acts for any workspace). */
  async ownerOf(id: string): Promise<{ workspaceId: string; mode: Actor['mode'] } | null> {
    const row = await this.store.get(id);
    return row ? { workspaceId: row.workspace_id, mode: row.mode } : null;
  }

  async get(actor: Actor, id: string): Promise<ImportJob> {
    const row = await this.store.find(actor, id);
    if (!row) throw notFound('Import');
    return { row, errors: await this.store.errors(id, ERRORS_SHOWN) };
  }

  /** A page of a job's per-row errors; the cursor is the last row shown. */
  async errors(actor: Actor, id: string, page: { limit: number; cursor?: string }): Promise<{ data: ImportErrorRow[]; hasMore: boolean; cursor: string | null }> {
    if (!(await this.store.find(actor, id))) throw notFound('Import');
    const afterRow = page.cursor === undefined ? 0 : Number(page.cursor);
    if (!Number.isSafeInteger(afterRow) || afterRow < 0) throw new ApiError('bad_request', 'The cursor is invalid.');
    const rows = await this.store.errors(id, page.limit + 1, afterRow);
    const data = rows.slice(0, page.limit);
    const hasMore = rows.length > page.limit;
    return { data, hasMore, cursor: hasMore ? String(data[data.length - 1].row) : null };
  }

  async list(actor: Actor, page: { limit: number; cursor?: string }): Promise<{ data: ImportRow[]; hasMore: boolean; cursor: string | null }> {
    const result = await this.paginator.page<ImportRow>(this.store.listQuery(actor), {
      limit: page.limit,
      cursor: page.cursor,
      sort: 'created_at',
      order: 'desc',
      scope: `imports:${actor.workspaceId}:${actor.mode}`,
      table: 'imports',
      idColumn: 'id',
    });
    return { data: result.rows, hasMore: result.hasMore, cursor: result.cursor };
  }
}


