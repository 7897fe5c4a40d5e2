import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { CapturedClick, ClickRecorder, CountryLocator } from '../clicks';
import { headerText, bounded, LIMITS } from '../clicks/bounds';
import { requestIdOf } from '../web/request-context';
import type { Logger } from '../support/logger';
import type { Clock } from '../support/time';
import type { ClientInfo } from './client';
import { platformOf, withForwardedQuery } from './destination';
import { refusesTracking, sendPixelPage } from './pixel-page';
import { normaliseHost, type DomainDirectory } from './hosts';
import { MISSING, type CachedLink, type LinkCache } from './link-cache';
import type { ResolvedLink } from './links';
import type { PasswordGate } from './password-gate';
import { parseShortPath, type ShortPath } from './paths';
import { sendHtml, sendPage, sendRedirect } from './responses';
import { isPreviewCrawler, renderPreview } from './preview';
import { ruleRoute, splitRoute, type Route } from './routing';
import { RequestFacts } from './visit-facts';
import { shortLinkText, type Visit } from './visit';

export interface RedirectDeps {
  domains: DomainDirectory;
  cache: LinkCache;
  clicks: ClickRecorder;
  countries: CountryLocator;
  client: ClientInfo;
  gate: PasswordGate;
  clock: Clock;
  logger: Logger;
  redirectStatus: number;
  forwardQuery: boolean;
}

type Method = Visit['method'];

/**
 * The redirect fast path, tried before Express. On a cached link it answers synchronously: resolve host and slug,
 * check the link's state, pick the destination, hand the click to the recorder, write the redirect. A cache miss, a
 * password gate or an unknown host finish asynchronously.
 */
export class RedirectHandler {
  private readonly debug: boolean;

  constructor(private readonly deps: RedirectDeps) {
    this.debug = deps.logger.isLevelEnabled('debug');
  }

  /** Returns true when the request is for a short link; the response may still be in progress. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    const target = parseShortPath(req.url ?? '/');
    if (!target) return false;
    const method = req.method;
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
      sendPage(req, res, 'methodNotAllowed', { headers: { Allow: 'GET, HEAD, POST' } });
      return true;
    }
    try {
      this.route(req, res, method, target);
    } catch (error) {
      this.fail(req, res, error);
    }
    return true;
  };

  private route(req: IncomingMessage, res: ServerResponse, method: Method, target: ShortPath): void {
    const { domains } = this.deps;
    const host = normaliseHost(req.headers.host);
    if (host === null) return sendPage(req, res, 'badRequest');
    const known = domains.lookup(host);
    if (known) return this.resolve({ req, res, method, target, domain: known });
    if (host === undefined || !domains.shouldRecheck()) return this.resolveUnknown(req, res, method, target);
    domains
      .refresh()
      .catch(() => undefined)
      .then(() => {
        const found = domains.lookup(host);
        if (found) this.resolve({ req, res, method, target, domain: found });
        else this.resolveUnknown(req, res, method, target);
      })
      .catch((error: unknown) => this.fail(req, res, error));
  }

  private resolveUnknown(req: IncomingMessage, res: ServerResponse, method: Method, target: ShortPath): void {
    const fallback = this.deps.domains.fallback();
    if (!fallback) return sendPage(req, res, 'notFound');
    this.resolve({ req, res, method, target, domain: fallback });
  }

  private resolve(visit: Visit): void {
    const { slug } = visit.target;
    if (slug === null) return sendPage(visit.req, visit.res, 'notFound');
    const cached = this.deps.cache.get(visit.domain.hostname, slug);
    if (cached !== undefined) return this.serve(visit, cached);
    this.deps.cache.fetch(visit.domain, slug).then(
      (entry) => this.serve(visit, entry),
      (error: unknown) => this.fail(visit.req, visit.res, error, 'unavailable'),
    );
  }

  private serve(visit: Visit, entry: CachedLink): void {
    const { req, res } = visit;
    const shortLink = shortLinkText(visit);
    if (entry === MISSING) return sendPage(req, res, 'notFound', { shortLink });
    const link = entry;
    const now = this.deps.clock.now().getTime();
    const linkId = link.id;
    if (link.startsAt !== null && now < link.startsAt) return sendPage(req, res, 'notYetActive', { shortLink, linkId });
    if (link.expiresAt !== null && now >= link.expiresAt) return sendPage(req, res, 'expired', { shortLink, linkId });
    if (this.capReached(link)) return sendPage(req, res, 'capped', { shortLink, linkId });
    if (link.routing?.preview && visit.method !== 'POST') {
      const userAgent = bounded(req.headers['user-agent'] ?? '', LIMITS.userAgent);
      if (isPreviewCrawler(userAgent)) return this.preview(visit, link, now, userAgent);
    }
    if (link.passwordHash) {
      const open = (status?: number, headers?: OutgoingHttpHeaders) => this.open(visit, link, this.deps.clock.now().getTime(), status, headers);
      this.deps.gate.serve(visit, link, link.passwordHash, open).catch((error: unknown) => this.fail(req, res, error));
      return;
    }
    if (visit.method === 'POST') return sendPage(req, res, 'methodNotAllowed', { shortLink, linkId, headers: { Allow: 'GET, HEAD' } });
    this.open(visit, link, now);
  }

  private capReached(link: ResolvedLink): boolean {
    return link.maxClicks !== null && this.deps.clicks.countedClicks(link, link.clicks) >= link.maxClicks;
  }

  /** Picks the destination, records the click and redirects. */
  private open(visit: Visit, link: ResolvedLink, at: number, status = this.deps.redirectStatus, headers?: OutgoingHttpHeaders): void {
    const { req, res } = visit;
    const { clicks } = this.deps;
    const userAgent = bounded(req.headers['user-agent'] ?? '', LIMITS.userAgent);
    const head = visit.method === 'HEAD';
    const capped = link.maxClicks !== null && clicks.counts({ head, userAgent });
    // Checked again: a password check takes a while, and other visitors may have used the last clicks meanwhile.
    if (capped && this.capReached(link)) return sendPage(req, res, 'capped', { shortLink: shortLinkText(visit), linkId: link.id });
    // With Redis, every process reserves its counted clicks of a capped link in one counter (no database write).
    const reservation = capped ? clicks.reserve(link.clicked, link.clicks) : null;
    if (reservation) {
      reservation.then(
        (outcome) => {
          // Without Redis's answer this process decides alone: other redirects of the link may have been recorded
          // while this one waited, so the local count is read again (record() below counts synchronously).
          if (outcome === 'refused' || (outcome === 'unavailable' && this.capReached(link))) sendPage(req, res, 'capped', { shortLink: shortLinkText(visit), linkId: link.id });
          else this.redirect(visit, link, at, userAgent, head, status, headers);
        },
        (error: unknown) => this.fail(req, res, error),
      );
      return;
    }
    this.redirect(visit, link, at, userAgent, head, status, headers);
  }

  private redirect(visit: Visit, link: ResolvedLink, at: number, userAgent: string, head: boolean, status: number, headers?: OutgoingHttpHeaders): void {
    const { req, res } = visit;
    const { clicks } = this.deps;
    const address = this.deps.client.address(req);
    const country = this.deps.countries.locate(req.headers, address);
    const device = deviceDestination(link, userAgent);
    const routed = link.routing === null ? null : this.routeOf(visit, link, at, address, country, userAgent, device !== null);
    let url = routed?.url ?? device ?? link.destination;
    if (this.deps.forwardQuery && visit.target.query) url = withForwardedQuery(url, visit.target.query);
    // Minted now, written with the buffered click: the destination can report conversions against it at once.
    const clickId = link.clickIdParam === null ? undefined : clicks.newClickId(at);
    if (clickId) url = withForwardedQuery(url, `${link.clickIdParam}=${clickId}`);
    this.record(visit, link, at, userAgent, address, country, { id: clickId, url, head, ruleId: routed?.ruleId ?? null, variant: routed?.variant ?? null });
    if (link.pixelPage !== null && !head && !refusesTracking(req) && !clicks.userAgents.isBot(userAgent)) sendPixelPage(req, res, url, link.pixelPage, headers);
    else sendRedirect(req, res, status, url, headers);
    if (this.debug) this.deps.logger.debug({ req_id: requestIdOf(req), method: req.method, link_id: link.id, status }, 'redirect');
  }

  /**
   * Hands the click to the recorder (no I/O on this path); `click` holds what differs between a redirect and a preview.
   * Every field is written out, not spread: one object of one shape, its fields in the object itself (a spread put half
   * of them in a second allocation), and buffered clicks outlive young-generation collections.
   */
  private record(visit: Visit, link: ResolvedLink, at: number, userAgent: string, address: string, country: string | null, click: Pick<CapturedClick, 'id' | 'url' | 'head' | 'ruleId' | 'variant' | 'preview'>): void {
    const referrer = headerText(visit.req.headers.referer, LIMITS.referrer);
    const { id, url, head, ruleId, variant, preview } = click;
    this.deps.clicks.record({ link: link.clicked, at, userAgent, referrer, country, address, id, url, head, ruleId, variant, preview });
  }

  /**
   * Smart routing: the first matching rule, else (when no iOS/Android target applies) the link's A/B split; null leaves
   * the choice to the link's own destination and device targets.
   */
  private routeOf(visit: Visit, link: ResolvedLink, at: number, address: string, country: string | null, userAgent: string, deviceTargeted: boolean): Route | null {
    const routing = link.routing;
    if (routing === null) return null;
    // The recorder's classifier: one cache of parsed user agents for routing, bot checks and click records.
    const agents = this.deps.clicks.userAgents;
    const visitor = () => ({ address, userAgent, bot: agents.isBot(userAgent) });
    if (routing.rules.length) {
      const facts = new RequestFacts(visit.req, at, country, userAgent, visit.target.query, agents);
      const matched = ruleRoute(routing, facts, visitor);
      if (matched) return matched;
    }
    if (routing.split === null || deviceTargeted) return null;
    return splitRoute(routing.split, visitor(), link.destination, null);
  }

  /** A link-preview crawler gets the link's Open Graph page, not the redirect; the fetch is recorded as a bot click. */
  private preview(visit: Visit, link: ResolvedLink, at: number, userAgent: string): void {
    const { req, res } = visit;
    const preview = link.routing?.preview;
    if (!preview) return;
    const address = this.deps.client.address(req);
    const country = this.deps.countries.locate(req.headers, address);
    this.record(visit, link, at, userAgent, address, country, { url: link.destination, head: visit.method === 'HEAD', preview: true });
    sendHtml(req, res, 200, renderPreview(preview, link.shortUrl, link.destination), {
      'Cache-Control': 'public, max-age=300',
      'X-Robots-Tag': 'noindex',
      // The page has no script and no style: only its meta tags matter to the crawler.
      'Content-Security-Policy': "default-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    });
  }

  private fail(req: IncomingMessage, res: ServerResponse, error: unknown, page: 'error' | 'unavailable' = 'error'): void {
    this.deps.logger.error({ err: error, req_id: requestIdOf(req), path: req.url }, 'redirect failed');
    if (res.headersSent) res.destroy();
    else sendPage(req, res, page, { headers: page === 'unavailable' ? { 'Retry-After': '5' } : {} });
  }
}

/** The link's iOS or Android destination for the visitor's platform; null when none applies. */
function deviceDestination(link: ResolvedLink, userAgent: string): string | null {
  if (link.iosDestination === null && link.androidDestination === null) return null;
  const platform = platformOf(userAgent);
  if (platform === 'ios') return link.iosDestination;
  if (platform === 'android') return link.androidDestination;
  return null;
}
