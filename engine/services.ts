import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Knex } from 'knex';
import type { EngineConfig } from './config';
import { DomainService } from './domain/domains';
import { KeyService } from './domain/keys';
import { LinkChanges } from './domain/link-changes';
import { LinkDomains } from './domain/links/domains';
import { LinkService } from './domain/links/service';
import { MemberService } from './domain/members';
import { Outbox } from './domain/outbox';
import { PlanLimits } from './domain/plans';
import { SecretRef } from './domain/settings';
import { WorkspaceSettings } from './domain/workspace-settings';
import { WorkspaceService } from './domain/workspaces';
import type { ApiHook } from './http/api-router';
import { createDb } from './store/db';
import { Paginator } from './store/pagination';
import { MemoryRateLimiter, type RateLimiter } from './ratelimit/limiter';
import { Lifecycle } from './support/lifecycle';
import type { Logger } from './support/logger';
import type { Clock } from './support/time';

/**
 * A handler tried before Express for hot paths (redirects). It returns true when it has taken the request,
 * even if it finishes the response later.
 */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Everything the engine is made of, wired once per engine. Nothing here connects until used or started. */
export interface Services {
  config: EngineConfig;
  db: Knex;
  clock: Clock;
  logger: Logger;
  lifecycle: Lifecycle;
  secret: SecretRef;
  outbox: Outbox;
  paginator: Paginator;
  workspaces: WorkspaceService;
  keys: KeyService;
  linkChanges: LinkChanges;
  links: LinkService;
  /** Custom domains; what stays on a domain (links, pages) keeps it from being deleted. */
  domains: DomainService;
  members: MemberService;
  /** The plan's limits and usage; `planLimits.recordClicks` belongs on the click flush's publish point. */
  planLimits: PlanLimits;
  /** GET/PATCH /workspace: name, default domain, plan (`onPlanChange` for parts that cache limits). */
  workspaceSettings: WorkspaceSettings;
  /** Shared by the API limiter, the failed-authentication limiter and the password gate. */
  limiter: RateLimiter;
  /** Tried in order before Express, both standalone and when mounted in a host app. */
  fastPaths: FastPath[];
  /** Run for every authenticated API request before its handler. */
  apiHooks: ApiHook[];
  /** Extra readiness checks (Redis, when configured), registered by the parts that own those connections. */
  readinessChecks: Record<string, () => Promise<string>>;
}

export function createServices(config: EngineConfig, clock: Clock, logger: Logger): Services {
  const db = createDb(config.databaseUrl);
  const secret = new SecretRef();
  const lifecycle = new Lifecycle();
  const keys = new KeyService(db, clock);
  lifecycle.onClose(() => keys.close());
  const limiter = new MemoryRateLimiter(() => clock.now().getTime());
  lifecycle.onClose(() => limiter.close());
  const outbox = new Outbox();
  const paginator = new Paginator(secret);
  const linkChanges = new LinkChanges();
  const linkDomains = new LinkDomains(db, config.defaultDomain);
  const planLimits = new PlanLimits(db);
  const domains = new DomainService(db, clock, config.defaultDomain, [linkDomains.usage]);
  return {
    config,
    db,
    clock,
    logger,
    lifecycle,
    secret,
    outbox,
    paginator,
    workspaces: new WorkspaceService(db, clock, config.defaultDomain),
    keys,
    linkChanges,
    links: new LinkService(db, clock, linkDomains, outbox, linkChanges, paginator, planLimits),
    domains,
    members: new MemberService(db, clock),
    planLimits,
    workspaceSettings: new WorkspaceSettings(db, clock, config.defaultDomain, domains, planLimits, outbox),
    limiter,
    fastPaths: [],
    apiHooks: [],
    readinessChecks: {},
  };
}
