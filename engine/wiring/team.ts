import { AuditLogs } from '../domain/audit-logs';
import { DomainService, type DomainUsage } from '../domain/domains';
import { KeyService } from '../domain/keys';
import { MemberService } from '../domain/members';
import type { PlanLimits } from '../domain/plans';
import { WorkspaceSettings } from '../domain/workspace-settings';
import { WorkspaceService } from '../domain/workspaces';
import type { Foundation } from './foundation';

/** Workspaces, their keys, members, custom domains, settings and plan, and the audit log. */
export interface TeamParts {
  workspaces: WorkspaceService;
  keys: KeyService;
  members: MemberService;
  /** Custom domains; what stays on a domain (links, pages) keeps it from being deleted. */
  domains: DomainService;
  /** GET/PATCH /workspace: name, default domain, plan (`onPlanChange` for parts that cache limits). */
  workspaceSettings: WorkspaceSettings;
  auditLogs: AuditLogs;
}

/** `domainUsage`: what keeps a custom domain in use (links, pages). */
export function wireTeam({ config, db, clock, lifecycle, outbox }: Foundation, planLimits: PlanLimits, domainUsage: DomainUsage[]): TeamParts {
  const keys = new KeyService(db, clock);
  lifecycle.onClose(() => keys.close());
  const domains = new DomainService(db, clock, config.defaultDomain, domainUsage);
  return {
    workspaces: new WorkspaceService(db, clock, config.defaultDomain),
    keys,
    members: new MemberService(db, clock),
    domains,
    workspaceSettings: new WorkspaceSettings(db, clock, config.defaultDomain, domains, planLimits, outbox),
    auditLogs: new AuditLogs(db),
  };
}
