import { linkBodies } from '../contracts/links';
import { ImportProcessor, type RowValidator } from '../domain/imports/processor';
import { ImportRunner } from '../domain/imports/runner';
import { ImportService } from '../domain/imports/service';
import type { LinkDomains } from '../domain/links/domains';
import type { LinkQuota } from '../domain/links/service';
import { ImportStore } from '../store/imports';
import { ExportJobs } from '../domain/exports/jobs';
import { LinksExport } from '../domain/exports/links-export';
import { ExportStore } from '../store/exports';
import { LinkExportStore } from '../store/link-export';
import type { LinkStore } from '../store/links';
import { ApiError } from '../support/errors';
import { parseOrThrow } from '../web/validation';
import type { Foundation } from './foundation';

export interface ImportParts {
  imports: ImportService;
  /** Runs import jobs in the background; the CLI runs one in its own process with a progress bar. */
  importRunner: ImportRunner;
  /** Every link of an owner as CSV or JSON, batch by batch. */
  linksExport: LinksExport;
  exportJobs: ExportJobs;
}

const CHUNK_SIZE = 500;

export function wireImports(foundation: Foundation, linkStore: LinkStore, linkDomains: LinkDomains, quota: LinkQuota): ImportParts {
  const { config, db, transactions, clock, outbox, linkChanges, paginator, lifecycle, logger } = foundation;
  // Rows are checked like POST /links bodies, except that an expiry in the past is kept (an expired link stays expired).
  const { createLinkBody } = linkBodies({ allowHttp: config.allowHttpUrls, now: () => Number.NEGATIVE_INFINITY });
  const validate: RowValidator = (fields) => {
    try {
      return { draft: parseOrThrow(createLinkBody, fields) };
    } catch (error) {
      if (error instanceof ApiError) return { error };
      throw error;
    }
  };
  const store = new ImportStore(db);
  const processor = new ImportProcessor({
    imports: store,
    links: linkStore,
    domains: linkDomains,
    quota,
    outbox,
    changes: linkChanges,
    transactions,
    clock,
    validate,
    leaseMs: config.importLease,
    chunkSize: CHUNK_SIZE,
  });
  const importRunner = new ImportRunner(store, processor, clock, config.importLease, logger);
  let serving = false;
  lifecycle.onStart(() => {
    serving = true;
    importRunner.start();
  });
  lifecycle.onClose(() => importRunner.close());
  const imports = new ImportService(store, transactions, clock, paginator, linkDomains, () => {
    if (serving) importRunner.kick();
  });
  const linksExport = new LinksExport(new LinkExportStore(db), linkDomains);
  const exportJobs = new ExportJobs(new ExportStore(db), linksExport, transactions, clock, config.importLease, logger);
  lifecycle.onStart(() => exportJobs.start());
  lifecycle.onClose(() => exportJobs.close());
  return { imports, importRunner, linksExport, exportJobs };
}
