import type { ClickRecorder } from '../clicks';
import { CountryLocator } from '../clicks';
import type { RateLimiter } from '../ratelimit/limiter';
import { CustomDomainStore } from '../store/custom-domains';
import type { LinkStore } from '../store/links';
import { LinkChangeRelay } from '../redirect/change-relay';
import { ClientInfo } from '../redirect/client';
import { RedirectHandler } from '../redirect/handler';
import { DomainDirectory } from '../redirect/hosts';
import { LinkCache } from '../redirect/link-cache';
import { findRoutedLink } from '../redirect/routed-links';
import { RuleStore } from '../store/link-rules';
import type { LinkExtras } from '../redirect/links';
import { PasswordGate } from '../redirect/password-gate';
import { UnlockCookies } from '../redirect/unlock-cookies';
import type { ServerResponse } from 'node:http';
import type { Metrics } from '../support/metrics';
import type { Foundation } from './foundation';

/** The redirect side of the engine: the fast-path handler and the caches it keeps fresh. */
export interface Redirects {
  domains: DomainDirectory;
  cache: LinkCache;
  /** Tried before Express, standalone and mounted; true when it has taken the request. */
  handle: RedirectHandler['handle'];
}

export function wireRedirects(
  { config, db, clock, logger, secret, instanceDomain, linkChanges, lifecycle, metrics }: Foundation,
  { limiter, clicks, linkStore, linkExtras }: { limiter: RateLimiter; clicks: ClickRecorder; linkStore: LinkStore; linkExtras?: LinkExtras },
): Redirects {
  const domains = new DomainDirectory(new CustomDomainStore(db), instanceDomain, config.unknownHost, logger);
  const ruleStore = new RuleStore(db);
  const cache = new LinkCache((domain, slug) => findRoutedLink(linkStore, ruleStore, domain, slug, linkExtras), config.linkCacheSize, config.linkCacheTtl * 1000);
  const countries = new CountryLocator(config.countryHeader, config.geoipDatabase);
  const client = new ClientInfo(config.trustProxy);
  const gate = new PasswordGate(new UnlockCookies(secret, clock, config.unlockCookieTtl), limiter, client, logger);
  const handler = new RedirectHandler({
    domains,
    cache,
    clicks,
    countries,
    client,
    gate,
    clock,
    logger,
    redirectStatus: config.redirectStatus,
    forwardQuery: config.forwardQuery,
  });

  const unsubscribe = linkChanges.subscribe((change) => {
    cache.invalidate(change.domain, change.slug);
    if (!domains.knows(change.domain)) void domains.refresh().catch(() => undefined);
  });
  const relay = config.redisUrl
    ? new LinkChangeRelay(linkChanges, config.redisUrl, `${config.redisPrefix}link-changes`, logger, () => cache.clear())
    : null;
  lifecycle.onStart(async () => {
    await countries.open();
    await domains.start();
    await relay?.start();
  });
  lifecycle.onClose(async () => {
    unsubscribe();
    await relay?.close();
    domains.close();
  });
  return { domains, cache, handle: counted(handler.handle, metrics) };
}

/**
 * Counts what the redirect path answers (by status class; 429s also as rate-limit rejections): at once when the
 * head is already sent (a cached link: no listener for the common case), else when the response finishes.
 */
function counted(handle: RedirectHandler['handle'], metrics: Metrics): RedirectHandler['handle'] {
  const count = (res: ServerResponse) => {
    metrics.countRedirect(res.statusCode);
    if (res.statusCode === 429) metrics.rateLimitRejections.inc({ surface: 'redirect' });
  };
  return (req, res) => {
    if (!handle(req, res)) return false;
    if (res.headersSent) count(res);
    else res.once('finish', () => count(res));
    return true;
  };
}
