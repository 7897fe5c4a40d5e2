import { LRUCache } from 'lru-cache';
import type { DeepLinkFiles, DeepLinkStore } from '../../store/domain-deep-links';
import type { CustomDomain } from '../../store/custom-domains';
import type { TransactionRunner } from '../../store/transactions';
import type { Clock } from '../../support/time';
import type { Actor } from '../actor';
import { recordAudits } from '../audit';

/** A domain's deep-link documents as the API shows them (parsed JSON; null: not served). */
export interface DeepLinks {
  domain_id: string;
  hostname: string;
  apple_app_site_association: Record<string, unknown> | null;
  assetlinks: unknown[] | null;
}

export interface DeepLinkPatch {
  apple_app_site_association?: Record<string, unknown> | null;
  assetlinks?: unknown[] | null;
}

const CACHE_TTL_MS = 30_000;

const parsed = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

/**
 * Per-domain `/.well-known/apple-app-site-association` (iOS universal links) and `/.well-known/assetlinks.json`
 * (Android app links), set through the API and served as they were given. Served documents are cached for 30 s per
 * process (this process forgets a domain's entry when it changes it).
 */
export class DeepLinkService {
  private readonly served = new LRUCache<string, DeepLinkFiles>({ max: 1000, ttl: CACHE_TTL_MS });

  constructor(
    private readonly store: DeepLinkStore,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    /** The workspace's custom domain, or a 404. */
    private readonly domainOf: (workspaceId: string, id: string) => Promise<CustomDomain>,
  ) {}

  async get(actor: Actor, domainId: string): Promise<DeepLinks> {
    const domain = await this.domainOf(actor.workspaceId, domainId);
    return this.present(domain, await this.store.ofDomain(domain.id));
  }

  /** Changes the documents present in `patch` (null stops serving one); audited as `domain.deep_links_updated`. */
  async update(actor: Actor, domainId: string, patch: DeepLinkPatch): Promise<DeepLinks> {
    const domain = await this.domainOf(actor.workspaceId, domainId);
    const now = this.clock.now();
    const files = await this.transactions.run(async (trx) => {
      const before = await this.store.ofDomain(domain.id, trx);
      const after: DeepLinkFiles = {
        appleAppSiteAssociation: patch.apple_app_site_association === undefined ? before.appleAppSiteAssociation : patch.apple_app_site_association && JSON.stringify(patch.apple_app_site_association),
        assetlinks: patch.assetlinks === undefined ? before.assetlinks : patch.assetlinks && JSON.stringify(patch.assetlinks),
      };
      if (after.appleAppSiteAssociation === before.appleAppSiteAssociation && after.assetlinks === before.assetlinks) return after;
      await this.store.save(trx, domain.id, after, now.getTime());
      const view = (files: DeepLinkFiles) => {
        const { apple_app_site_association, assetlinks } = this.present(domain, files);
        return { apple_app_site_association, assetlinks };
      };
      await recordAudits(trx, actor, [{ action: 'domain.deep_links_updated', resourceType: 'domain', resourceId: domain.id, before: view(before), after: view(after) }], now);
      return after;
    });
    this.served.delete(domain.hostname);
    return this.present(domain, files);
  }

  /** The stored documents of a custom domain's host name, for the public `/.well-known/` routes. */
  async filesFor(hostname: string): Promise<DeepLinkFiles> {
    let files = this.served.get(hostname);
    if (!files) {
      files = await this.store.ofHostname(hostname);
      this.served.set(hostname, files);
    }
    return files;
  }

  private present(domain: CustomDomain, files: DeepLinkFiles): DeepLinks {
    return {
      domain_id: domain.id,
      hostname: domain.hostname,
      apple_app_site_association: parsed<Record<string, unknown>>(files.appleAppSiteAssociation),
      assetlinks: parsed<unknown[]>(files.assetlinks),
    };
  }
}
