import type { Analytics } from '../analytics/analytics';
import type { ClickRecorder } from '../clicks';
import type { EngineConfig } from '../config';
import { PlanLimits } from '../domain/plans';
import { LinkStore } from '../store/links';
import { PlanStore } from '../store/plans';
import { LinkReferences } from '../domain/organization/link-references';
import type { PageService } from '../domain/pages/service';
import type { QrRenderer } from '../domain/qr/renderer';
import type { Logger } from '../support/logger';
import type { Clock } from '../support/time';
import type { UsageRecorder } from '../usage/recorder';
import type { UsageReports } from '../usage/report';
import type { Webhooks } from '../webhooks/webhooks';
import { wireAccounts, type AccountParts } from './accounts';
import { wireAnalytics } from './analytics';
import { wireClicks } from './clicks';
import { createFoundation, type Foundation } from './foundation';
import { wireGuestLinks, type GuestLinkParts } from './guest-links';
import { wireLinks, type LinkParts } from './links';
import { wireImports, type ImportParts } from './imports';
import { wirePages } from './pages';
import { wireQr } from './qr';
import { wireRateLimiting, type RateLimiting } from './ratelimit';
import { wireRedirects, type Redirects } from './redirect';
import { wireDeepLinks } from './routing';
import type { DeepLinkService } from '../domain/routing/deep-links';
import { wireTeam, type TeamParts } from './team';
import { wireUsage } from './usage';
import { wireWebhooks } from './webhooks';
import { organizationStores, wireConversions, wireOrganization, type OrganizationParts } from './organization';
import type { Conversions } from '../domain/conversions/conversions';

/** Everything one engine is made of. Nothing here connects until used or started. */
export interface EngineParts extends Foundation, LinkParts, TeamParts, RateLimiting, AccountParts, GuestLinkParts, ImportParts, OrganizationParts {
  conversions: Conversions;
  pages: PageService;
  qr: QrRenderer;
  /** Per-domain deep-link files (smart routing). */
  deepLinks: DeepLinkService;
  /** The plan's limits and usage; `planLimits.recordClicks` runs in every click flush. */
  planLimits: PlanLimits;
  webhooks: Webhooks;
  /** Click capture: buffered, flushed in batches; wiring/clicks.ts says what each flush writes besides the clicks. */
  clicks: ClickRecorder;
  analytics: Analytics;
  redirects: Redirects;
  usage: UsageRecorder;
  usageReports: UsageReports;
}

/** The composition root: each feature is wired by its own module in this folder, in the order they depend on. */
export function composeEngine(config: EngineConfig, clock: Clock, logger: Logger): EngineParts {
  const foundation = createFoundation(config, clock, logger);
  const linkStore = new LinkStore(foundation.db);
  const planLimits = new PlanLimits(new PlanStore(foundation.db), linkStore);
  const records = organizationStores(foundation.db);
  const linkParts = wireLinks(foundation, linkStore, planLimits, new LinkReferences(records));
  const organization = wireOrganization(foundation, records, linkParts.links);
  const pages = wirePages(foundation, linkStore, linkParts.linkDomains, planLimits);
  const team = wireTeam(foundation, planLimits, [linkParts.linkDomains.usage, pages.domainUsage]);
  const rateLimiting = wireRateLimiting(foundation);
  // The plan's rate_limit_per_key is workspaces.rate_limit: this process applies a change at once, others within 10 s.
  team.workspaceSettings.onPlanChange((workspaceId) => rateLimiting.keyLimits.forget(workspaceId));
  const accounts = wireAccounts(foundation, rateLimiting, team.members);
  const guestLinks = wireGuestLinks(foundation, linkParts.links, rateLimiting.limiter);
  const webhooks = wireWebhooks(foundation);
  const clicks = wireClicks(foundation, (deliveries) => webhooks.dispatcher.notify(deliveries));
  const redirects = wireRedirects(foundation, { limiter: rateLimiting.limiter, clicks, linkStore, linkExtras: organization.linkExtras });
  organization.conversionSettings.onChange(() => redirects.cache.clear());
  refreshRedirectsOnDomainChange(foundation, team, redirects);
  const analytics = wireAnalytics(foundation, clicks, linkStore);
  const conversions = wireConversions(foundation, organization.conversionSettings, analytics);
  const usage = wireUsage(foundation);
  const imports = wireImports(foundation, linkStore, linkParts.linkDomains, planLimits);
  // Registered last, so closed first: with the database unreachable, the clicks are written or spooled before any
  // other part's shutdown waits on the database (and a supervisor's SIGKILL then loses none of them).
  foundation.lifecycle.onClose(() => clicks.close());
  return {
    ...foundation,
    ...linkParts,
    ...organization,
    conversions,
    ...team,
    ...rateLimiting,
    ...accounts,
    ...guestLinks,
    pages,
    qr: wireQr(foundation),
    deepLinks: wireDeepLinks(foundation, team.domains),
    planLimits,
    webhooks,
    clicks,
    analytics,
    redirects,
    ...usage,
    ...imports,
  };
}

/**
 * This process serves a domain change at once (other processes within a minute, a new host at its first request);
 * cached links carry their domain's scheme, so a scheme change drops them. A CLI command has no redirect path to
 * refresh: it never starts the engine.
 */
function refreshRedirectsOnDomainChange({ lifecycle }: Foundation, { domains }: TeamParts, redirects: Redirects): void {
  let serving = false;
  lifecycle.onStart(() => {
    serving = true;
  });
  domains.onChange((kind) => {
    if (!serving) return;
    void redirects.domains.refresh().catch(() => undefined);
    if (kind === 'updated') redirects.cache.clear();
  });
}

const partsByEngine = new WeakMap<object, EngineParts>();

/** Remembers what an engine is made of, for `partsOf`. */
export function registerParts(engine: object, parts: EngineParts): void {
  partsByEngine.set(engine, parts);
}

/**
 * What an engine is made of: for the CLI, tests and benchmarks, which reach below the API. Not part of the embedding
 * interface (`Engine`), which exposes only what a host application needs.
 */
export function partsOf(engine: object): EngineParts {
  const parts = partsByEngine.get(engine);
  if (!parts) throw new Error('partsOf: not an engine made by createEngine');
  return parts;
}
