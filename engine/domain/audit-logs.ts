import type { AuditLogEntry, AuditLogFilter, AuditLogStore } from '../store/audit-log';
import type { Page, PageQuery, Paginator } from '../store/pagination';
import type { Actor } from './actor';

export type { AuditLogEntry, AuditLogFilter } from '../store/audit-log';

/** Reads the audit log of one workspace and mode; entries are written by `recordAudit` with each change. */
export class AuditLogs {
  constructor(
    private readonly store: AuditLogStore,
    private readonly paginator: Paginator,
  ) {}

  page(actor: Actor, filter: AuditLogFilter, page: PageQuery): Promise<Page<AuditLogEntry>> {
    return this.store.page(this.paginator, actor, filter, page);
  }
}
