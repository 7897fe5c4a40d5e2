import type { IncomingMessage, ServerResponse } from 'node:http';
import type Redis from 'ioredis';
import type { Knex } from 'knex';
import { createAnalytics, type Analytics } from './analytics';
import { createClickWriter } from './click-flush';
import { ClickRecorder } from './clicks';
import type { EngineConfig } from './config';
import { AuditLogs } from './domain/audit-logs';
import { DomainService } from './domain/domains';
import { KeyService } from './domain/keys';
import { LinkChanges } from './domain/link-changes';
import { LinkDomains } from './domain/links/domains';
import { LinkService } from './domain/links/service';
import { MemberService } from './domain/members';
import { Outbox } from './domain/outbox';
import { PageService } from './domain/pages/service';
import { PlanLimits } from './domain/plans';
import { QrRenderer } from './domain/qr/renderer';
import { SecretRef } from './domain/settings';
import { WorkspaceSettings } from './domain/workspace-settings';
import { WorkspaceService } from './domain/workspaces';
import type { ApiHook } from './http/api-router';
import { createDb } from './store/db';
import { LinkStore } from './store/links';
import { PageStore } from './store/pages';
import { Paginator } from './store/pagination';
import { knexTransactions } from './store/transactions';
import type { ApiGuard } from './ratelimit/api-guard';
import { createRateLimiting } from './ratelimit';
import { FastRedis } from './support/fast-redis';
import type { KeyRateLimits } from './ratelimit/key-limits';
import type { RateLimiter } from './ratelimit/limiter';
import { RedirectService } from './redirect';
import { Lifecycle } from './support/lifecycle';
import type { Logger } from './support/logger';
import type { Clock } from './support/time';
import { createUsage } from './usage';
import type { UsageRecorder } from './usage/recorder';
import type { UsageReports } from './usage/report';
import { createWebhooks, type Webhooks } from './webhooks';
import type { DueDelivery } from './webhooks/delivery-store';

/**
 * A handler tried before Express for hot paths (redirects). It returns true when it has taken the request,
 * even if it finishes the response later.
 */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

/** What the engine's parts are built from; `redis` (fail-fast, see FastRedis) is null without REDIS_URL. */
export interface Foundation {
  config: EngineConfig;
  db: Knex;
  clock: Clock;
  logger: Logger;
  lifecycle: Lifecycle;
  redis: Redis | null;
}

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
  pages: PageService;
  qr: QrRenderer;
  /** Custom domains; what stays on a domain (links, pages) keeps it from being deleted. */
  domains: DomainService;
  members: MemberService;
  /** The plan's limits and usage; `planLimits.recordClicks` runs in every click flush. */
  planLimits: PlanLimits;
  /** GET/PATCH /workspace: name, default domain, plan (`onPlanChange` for parts that cache limits). */
  workspaceSettings: WorkspaceSettings;
  /** Endpoints, delivery log and the dispatcher (BullMQ with Redis, database polling without). */
  webhooks: Webhooks;
  /** Click capture: buffered, flushed in batches; click-flush.ts says what each flush writes besides the clicks. */
  clicks: ClickRecorder;
  /** Click analytics: rollups written with each click batch, reports, the raw-click export and its retention. */
  analytics: Analytics;
  /** The redirect fast path (registered in `fastPaths`), its link cache and domain directory. */
  redirects: RedirectService;
  /**
   * The strict limiter, for limits that protect secrets (failed authentications, the password gate). With Redis it
   * fails closed: while Redis is unreachable every call throws, and callers treat that as a refusal.
   */
  limiter: RateLimiter;
  /** The per-key and per-address API limiter. With Redis it fails open to an in-process limiter while Redis is down. */
  apiLimiter: RateLimiter;
  /** Per-key limits: the key's own, its workspace's, or the instance default. */
  keyLimits: KeyRateLimits;
  /** Applies the API rate limits around authentication and writes their headers. */
  apiGuard: ApiGuard;
  usage: UsageRecorder;
  usageReports: UsageReports;
  auditLogs: AuditLogs;
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
  const outbox = new Outbox();
  const paginator = new Paginator(secret);
  const linkChanges = new LinkChanges();
  // One fail-fast connection for the rate limiters and usage flush requests; closed last.
  const redis = config.redisUrl ? new FastRedis(config.redisUrl, logger, 'mask') : null;
  if (redis) {
    lifecycle.onStart(() => redis.open());
    lifecycle.onClose(() => redis.close());
  }
  const foundation: Foundation = { config, db, clock, logger, lifecycle, redis: redis?.client ?? null };
  const linkStore = new LinkStore(db);
  const transactions = knexTransactions(db);
  const linkDomains = new LinkDomains(db, config.defaultDomain, linkStore);
  const planLimits = new PlanLimits(db);
  const pages = new PageService(new PageStore(db), linkStore, transactions, clock, linkDomains, outbox, linkChanges, paginator, planLimits);
  const domains = new DomainService(db, clock, config.defaultDomain, [linkDomains.usage, pages.domainUsage]);
  const rateLimiting = createRateLimiting(foundation);
  const workspaceSettings = new WorkspaceSettings(db, clock, config.defaultDomain, domains, planLimits, outbox);
  // The plan's rate_limit_per_key is workspaces.rate_limit: this process applies a change at once, others within 10 s.
  workspaceSettings.onPlanChange((workspaceId) => rateLimiting.keyLimits.forget(workspaceId));
  const readinessChecks: Services['readinessChecks'] = {};
  const webhooks = createWebhooks({ config, db, clock, logger, lifecycle, outbox, readinessChecks });
  const clickWriter = createClickWriter({
    config,
    db,
    clock,
    secret,
    outbox,
    notifyPlanned: (deliveries) => webhooks.dispatcher.notify(deliveries as DueDelivery[]),
  });
  const clicks = new ClickRecorder(clickWriter, logger, {
    flushMs: config.clickFlushMs,
    batchSize: config.clickBatchSize,
    bufferMax: config.clickBufferMax,
  });
  const analytics = createAnalytics(foundation, clicks);
  lifecycle.onClose(() => clicks.close());
  const redirects = new RedirectService({ config, db, clock, logger, secret, limiter: rateLimiting.limiter, linkChanges, clicks, lifecycle });
  // This process serves a domain change at once (other processes within a minute, a new host at its first request);
  // cached links carry their domain's scheme, so a scheme change drops them.
  let serving = false;
  lifecycle.onStart(() => {
    serving = true;
  });
  domains.onChange((kind) => {
    if (!serving) return; // a CLI command: no redirect path to refresh
    void redirects.domains.refresh().catch(() => undefined);
    if (kind === 'updated') redirects.cache.clear();
  });
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
    links: new LinkService(linkStore, transactions, clock, linkDomains, outbox, linkChanges, paginator, planLimits),
    pages,
    qr: new QrRenderer(),
    domains,
    members: new MemberService(db, clock),
    planLimits,
    workspaceSettings,
    ...rateLimiting,
    webhooks,
    clicks,
    analytics,
    redirects,
    ...createUsage(foundation),
    auditLogs: new AuditLogs(db),
    fastPaths: [redirects.handle],
    apiHooks: [],
    readinessChecks,
  };
}
