import { LRUCache } from 'lru-cache';
import type { KnownDomain } from './hosts';
import type { ResolvedLink } from './links';

/** A cached lookup: the link, or MISSING when there is none (so repeated 404s do not query either). */
export type CachedLink = ResolvedLink | typeof MISSING;
export const MISSING: unique symbol = Symbol('no such link');

export type LinkLoader = (domain: KnownDomain, slug: string) => Promise<ResolvedLink | null>;

const keyOf = (hostname: string, slug: string) => `${hostname}/${slug}`;
const CAPPED_TTL_MS = 2000;

/**
 * Resolved links in memory, bounded in count and age. Changes drop their entry at once (the TTL is only a backstop for
 * changes that no notice reached); concurrent misses for one key share one query; a load that raced with a change is
 * served but not kept.
 */
export class LinkCache {
  private readonly entries: LRUCache<string, CachedLink>;
  private readonly loading = new Map<string, Promise<CachedLink>>();
  private invalidations = 0;

  constructor(
    private readonly load: LinkLoader,
    size: number,
    private readonly ttlMs: number,
  ) {
    this.entries = new LRUCache({ max: size, ttl: ttlMs, ttlResolution: 100 });
  }

  /**
   * Links with a click limit are reloaded more often: other processes' clicks reach this one only through the
   * database, so their counts are at most a couple of seconds (plus one flush window) old.
   */
  private ttlFor(entry: CachedLink): number {
    return entry !== MISSING && entry.maxClicks !== null ? Math.min(this.ttlMs, CAPPED_TTL_MS) : this.ttlMs;
  }

  get(hostname: string, slug: string): CachedLink | undefined {
    return this.entries.get(keyOf(hostname, slug));
  }

  fetch(domain: KnownDomain, slug: string): Promise<CachedLink> {
    const key = keyOf(domain.hostname, slug);
    let pending = this.loading.get(key);
    if (!pending) {
      const generation = this.invalidations;
      const loaded: Promise<CachedLink> = this.load(domain, slug)
        .then((link) => {
          const entry = link ?? MISSING;
          if (generation === this.invalidations) this.entries.set(key, entry, { ttl: this.ttlFor(entry) });
          return entry;
        })
        .finally(() => {
          if (this.loading.get(key) === loaded) this.loading.delete(key);
        });
      this.loading.set(key, loaded);
      pending = loaded;
    }
    return pending;
  }

  invalidate(hostname: string, slug: string): void {
    this.invalidations++;
    const key = keyOf(hostname, slug);
    this.entries.delete(key);
    this.loading.delete(key);
  }

  clear(): void {
    this.invalidations++;
    this.entries.clear();
    this.loading.clear();
  }
}
