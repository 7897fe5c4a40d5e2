import { createHash } from 'node:crypto';
import type { ImportRow, ImportStore } from '../../store/imports';
import type { LinkRow, LinkStore } from '../../store/links';
import type { TransactionRunner } from '../../store/transactions';
import { ApiError } from '../../support/errors';
import type { Clock } from '../../support/time';
import type { Actor } from '../actor';
import { recordAudit, recordAudits } from '../audit';
import type { LinkChanges } from '../link-changes';
import { claimSlugs, notOwned, transactionClaimingAddresses } from '../links/claims';
import type { LinkDomains, WorkspaceDomainSet } from '../links/domains';
import { claimExternalIds } from '../links/external-ids';
import type { LinkDraft } from '../links/fields';
import { LinkService, type LinkQuota } from '../links/service';
import { serializeLink } from '../links/serializer';
import type { Outbox } from '../outbox';
import { readRecords, type SourceRecord } from './records';
import { suffixTakenSlugs } from './slugs';
import { readRow, type ImportSource } from './sources';
import type { ImportOptions } from './options';

/** Checks one row's link fields as the body of POST /links would be checked (built from the contract by the wiring). */
export type RowValidator = (fields: Record<string, unknown>) => { draft: LinkDraft } | { error: ApiError };

export interface ProcessorDeps {
  imports: ImportStore;
  links: LinkStore;
  domains: LinkDomains;
  quota: LinkQuota;
  outbox: Outbox;
  changes: LinkChanges;
  transactions: TransactionRunner;
  clock: Clock;
  validate: RowValidator;
  leaseMs: number;
  /** Rows committed per transaction. */
  chunkSize: number;
}

export interface ImportProgress {
  processed: number;
  total: number;
  created: number;
  skipped: number;
  failed: number;
}

interface Candidate {
  row: LinkRow;
  rowNumber: number;
  key: string;
  customSlug: boolean;
}

const sourceKey = (source: string, key: string) => createHash('sha256').update(`${source}\0${key}`).digest('hex');

/**
 * Runs one import job the caller holds: rows are committed in chunks, each in one transaction with the cursor, the
 * counters, its links (tags, audit entries, link.created events) and its per-row errors, so a crash at any moment
 * leaves whole chunks behind and the next holder resumes at the cursor.
 */
export class ImportProcessor {
  constructor(private readonly deps: ProcessorDeps) {}

  async run(jobId: string, shouldStop: () => boolean = () => false, onProgress?: (progress: ImportProgress) => void): Promise<void> {
    const { imports, clock } = this.deps;
    const job = await imports.get(jobId);
    if (!job || (job.status !== 'running' && job.status !== 'queued')) return;
    const options = JSON.parse(job.options) as ImportOptions;
    let records: SourceRecord[];
    try {
      records = (await readRecords(await imports.file(jobId), { delimiter: options.delimiter })).records;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      await imports.finish(jobId, 'failed', clock.now().getTime(), error.message);
      return;
    }
    const actor: Actor = { workspaceId: job.workspace_id, mode: job.mode, keyId: job.actor_key_id, userId: job.actor_user_id, requestId: job.request_id, scopes: [] };
    const domains = await this.deps.domains.forWorkspace(job.workspace_id);
    const progress: ImportProgress = { processed: job.processed_rows, total: records.length, created: job.created_count, skipped: job.skipped_count, failed: job.failed_count };
    for (let start = job.processed_rows; start < records.length; start += this.deps.chunkSize) {
      if (shouldStop()) return;
      const chunk = await this.chunk(job, options, actor, domains, records.slice(start, start + this.deps.chunkSize), start);
      progress.processed += chunk.processed;
      progress.created += chunk.created;
      progress.skipped += chunk.skipped;
      progress.failed += chunk.failed;
      onProgress?.({ ...progress });
    }
    const now = clock.now();
    await this.deps.transactions.run(async (trx) => {
      await recordAudit(trx, actor, { action: 'import.completed', resourceType: 'import', resourceId: jobId, after: { created: progress.created, skipped: progress.skipped, failed: progress.failed } }, now);
    });
    await imports.finish(jobId, 'completed', now.getTime());
  }

  private async chunk(job: ImportRow, options: ImportOptions, actor: Actor, domains: WorkspaceDomainSet, records: SourceRecord[], offset: number) {
    const { imports, links, transactions, clock, validate, outbox } = this.deps;
    const source = job.source as ImportSource;
    const result = await transactionClaimingAddresses(transactions, async (trx) => {
      const now = clock.now();
      const at = now.getTime();
      const errors = new Map<number, ApiError>();
      const rows = records.map((record, i) => ({ rowNumber: offset + i + 1, read: readRow(source, record, options) }));
      const keys = rows.map(({ read }) => sourceKey(source, read.key));
      const imported = await imports.importedKeys(trx, actor, source, [...new Set(keys)]);
      const seen = new Set<string>();
      let skipped = 0;
      const candidates: Candidate[] = [];
      rows.forEach(({ rowNumber, read }, i) => {
        const key = keys[i];
        if (imported.has(key) || seen.has(key)) {
          skipped++;
          return;
        }
        seen.add(key);
        if (read.problems.length) {
          errors.set(rowNumber, new ApiError('validation_error', 'The row failed validation.', read.problems));
          return;
        }
        const checked = validate(read.fields);
        if ('error' in checked) {
          errors.set(rowNumber, checked.error);
          return;
        }
        const domain = options.domain ?? (read.domain && domains.has(read.domain) ? read.domain : domains.defaultDomain);
        candidates.push({ row: this.linkRow(actor, checked.draft, domain, read.createdAt ?? at, read.clicks, at), rowNumber, key, customSlug: Boolean(checked.draft.slug) });
      });

      const { remaining, refusal } = await this.deps.quota.allowance(trx, actor, now);
      const owned = await this.deps.domains.stillOwned(trx, actor.workspaceId, [...new Set(candidates.map((c) => c.row.domain))]);
      const refuse = (candidate: Candidate, error: ApiError) => errors.set(candidate.rowNumber, error);
      let pending = candidates.filter((c) => (owned.has(c.row.domain) ? true : (refuse(c, notOwned(c.row.domain)), false)));
      if (options.on_conflict === 'suffix') await suffixTakenSlugs(trx, links, pending);
      const conflicts = await claimSlugs(trx, links, pending);
      for (const [c, error] of await claimExternalIds(trx, links, actor, pending.filter((c) => !conflicts.has(c)))) conflicts.set(c, error);
      pending = pending.filter((c) => (conflicts.has(c) ? (refuse(c, conflicts.get(c) as ApiError), false) : true));
      for (const c of pending.slice(remaining)) refuse(c, refusal as ApiError);
      const created = pending.slice(0, remaining);

      await links.insert(trx, created.map((c) => c.row));
      await imports.recordImported(trx, created.map((c) => ({ workspace_id: actor.workspaceId, mode: actor.mode, source, source_key: c.key, link_id: c.row.id })));
      const publicLinks = created.map((c) => serializeLink(c.row, domains.isSecure(c.row.domain)));
      await recordAudits(trx, actor, publicLinks.map((link) => ({ action: 'link.created', resourceType: 'link', resourceId: link.id, before: null, after: { ...link } })), now);
      await outbox.enqueue(trx, publicLinks.map((link) => ({ workspaceId: actor.workspaceId, mode: actor.mode, type: 'link.created' as const, data: { ...link } })), now);
      await imports.insertErrors(trx, [...errors].map(([row, error]) => ({ import_id: job.id, row, error: JSON.stringify(error.toBody().error) })));
      const counts = { processed: records.length, created: created.length, skipped, failed: errors.size };
      await imports.advance(trx, job.id, counts, at, at + this.deps.leaseMs);
      return { counts, created: publicLinks };
    });
    for (const link of result.created) this.deps.changes.publish({ id: link.id, domain: link.domain, slug: link.slug, kind: 'created' });
    return result.counts;
  }

  private linkRow(owner: Actor, draft: LinkDraft, domain: string, createdAt: number, clicks: number, now: number): LinkRow {
    return { ...LinkService.newRow(owner, draft, domain, createdAt), imported_clicks: clicks, updated_at: Math.max(createdAt, now) };
  }
}
