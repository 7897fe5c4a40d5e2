import type { Knex } from 'knex';
import type { ClickRecorder } from '../clicks';
import { CountryLocator } from '../clicks';
import type { EngineConfig } from '../config';
import type { LinkChanges } from '../domain/link-changes';
import type { SecretRef } from '../domain/settings';
import type { RateLimiter } from '../ratelimit/limiter';
import { LinkStore } from '../store/links';
import type { Lifecycle } from '../support/lifecycle';
import type { Logger } from '../support/logger';
import type { Clock } from '../support/time';
import { LinkChangeRelay } from './change-relay';
import { ClientInfo } from './client';
import { RedirectHandler } from './handler';
import { DomainDirectory } from './hosts';
import { LinkCache } from './link-cache';
import { findLink } from './links';
import { PasswordGate } from './password-gate';
import { UnlockCookies } from './unlock-cookies';

export interface RedirectServiceDeps {
  config: EngineConfig;
  db: Knex;
  clock: Clock;
  logger: Logger;
  secret: SecretRef;
  limiter: RateLimiter;
  linkChanges: LinkChanges;
  clicks: ClickRecorder;
  lifecycle: Lifecycle;
}

/** The redirect side of the engine: the fast-path handler and the caches it keeps fresh. */
export class RedirectService {
  readonly domains: DomainDirectory;
  readonly cache: LinkCache;
  readonly handle: RedirectHandler['handle'];

  constructor({ config, db, clock, logger, secret, limiter, linkChanges, clicks, lifecycle }: RedirectServiceDeps) {
    this.domains = new DomainDirectory(db, config.defaultDomain, config.unknownHost, logger);
    const links = new LinkStore(db);
    this.cache = new LinkCache((domain, slug) => findLink(links, domain, slug), config.linkCacheSize, config.linkCacheTtl * 1000);
    const countries = new CountryLocator(config.countryHeader, config.geoipDatabase);
    const client = new ClientInfo(config.trustProxy);
    const gate = new PasswordGate(new UnlockCookies(secret, clock, config.unlockCookieTtl), limiter, client, logger);
    const handler = new RedirectHandler({
      domains: this.domains,
      cache: this.cache,
      clicks,
      countries,
      client,
      gate,
      clock,
      logger,
      redirectStatus: config.redirectStatus,
      forwardQuery: config.forwardQuery,
    });
    this.handle = handler.handle;

    const unsubscribe = linkChanges.subscribe((change) => {
      this.cache.invalidate(change.domain, change.slug);
      if (!this.domains.knows(change.domain)) void this.domains.refresh().catch(() => undefined);
    });
    const relay = config.redisUrl
      ? new LinkChangeRelay(linkChanges, config.redisUrl, `${config.redisPrefix}link-changes`, logger, () => this.cache.clear())
      : null;
    lifecycle.onStart(async () => {
      await countries.open();
      await this.domains.start();
      await relay?.start();
    });
    lifecycle.onClose(async () => {
      unsubscribe();
      await relay?.close();
      this.domains.close();
    });
  }
}
