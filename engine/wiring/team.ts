import { AuditLogs } from '../domain/audit-logs';
import { CustomDomainService, type DomainUsage } from '../domain/custom-domains';
import { KeyService } from '../domain/keys';
import { MemberService } from '../domain/members';
import type { PlanLimits } from '../domain/plans';
import { WorkspaceSettings } from '../domain/workspace-settings';
import { WorkspaceService } from '../domain/workspaces';
import { AuditLogStore } from '../store/audit-log';
import { CustomDomainStore } from '../store/custom-domains';
import { KeyStore } from '../store/keys';
import { MemberStore } from '../store/members';
import { WorkspaceStore } from '../store/workspaces';
import type { Foundation } from './foundation';

/** Workspaces, their keys, members, custom domains, settings and plan, and the audit log. */
export interface TeamParts {
  workspaces: WorkspaceService;
  keys: KeyService;
  members: MemberService;
  /** Custom domains; what stays on a domain (links, pages) keeps it from being deleted. */
  domains: CustomDomainService;
  /** GET/PATCH /workspace: name, default domain, plan (`onPlanChange` for parts that cache limits). */
  workspaceSettings: WorkspaceSettings;
  auditLogs: AuditLogs;
}

/** `domainUsage`: what keeps a custom domain in use (links, pages). */
export function wireTeam({ config, db, transactions, clock, lifecycle, outbox, paginator, instanceDomain }: Foundation, planLimits: PlanLimits, domainUsage: DomainUsage[]): TeamParts {
  const workspaceStore = new WorkspaceStore(db);
  const customDomainStore = new CustomDomainStore(db);
  // A key's own rate limit may only lower its plan's (workspaces.rate_limit), or the instance default without one.
  const keys = new KeyService(new KeyStore(db), transactions, clock, paginator, async (workspaceId, tx) => {
    const perKey = (await (tx ? workspaceStore.with(tx) : workspaceStore).find(workspaceId))?.plan.rateLimitPerKey ?? null;
    return perKey === null ? { max: config.rateLimitPerMinute, plan: false } : { max: perKey, plan: true };
  });
  lifecycle.onClose(() => keys.close());
  const domains = new CustomDomainService(customDomainStore, workspaceStore, transactions, clock, paginator, instanceDomain, domainUsage);
  return {
    workspaces: new WorkspaceService(workspaceStore, customDomainStore, transactions, clock, instanceDomain),
    keys,
    members: new MemberService(new MemberStore(db), workspaceStore, transactions, clock, paginator),
    domains,
    workspaceSettings: new WorkspaceSettings(workspaceStore, transactions, clock, instanceDomain, domains, planLimits, outbox),
    auditLogs: new AuditLogs(new AuditLogStore(db), paginator),
  };
}
