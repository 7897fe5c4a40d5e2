import type { InstanceHost } from '../domain/instance-domain';
import { isLocalHost } from '../domain/workspaces';
import type { CustomDomainStore } from '../store/custom-domains';
import type { Logger } from '../support/logger';

export interface KnownDomain {
  hostname: string;
  secure: boolean;
}

const HOST = /^(?:[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?$/;
const MAX_HOST_LENGTH = 253 + 6;
const REFRESH_EVERY_MS = 60_000;
/** An unknown host may be a domain added a moment ago (by another process): look again, at most this often. */
const RECHECK_UNKNOWN_AFTER_MS = 5_000;

/** The Host header, lower-cased and without a trailing dot; undefined when absent, null when it is not a host. */
export function normaliseHost(header: string | undefined): string | null | undefined {
  if (header === undefined || header === '') return undefined;
  if (header.length > MAX_HOST_LENGTH) return null;
  let host = header.toLowerCase();
  const dot = host.lastIndexOf('.');
  if (dot === host.length - 1) host = host.slice(0, -1);
  else if (dot > 0 && host.charCodeAt(dot + 1) === 58) host = host.slice(0, dot) + host.slice(dot + 1);
  return HOST.test(host) ? host : null;
}

function withoutPort(host: string): string | null {
  const colon = host.lastIndexOf(':');
  return colon > host.lastIndexOf(']') && colon > 0 ? host.slice(0, colon) : null;
}

/**
 * Which domains this engine serves: the instance default domain plus every row of `domains`, held in memory so the
 * redirect path never queries for them. Refreshed every minute, when a link appears on a domain it does not know, and
 * (at most every few seconds) when a request names an unknown host.
 */
export class DomainDirectory {
  private domains = new Map<string, KnownDomain>();
  private refreshedAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private defaultEntry: KnownDomain | null = null;

  constructor(
    private readonly store: CustomDomainStore,
    private readonly instance: InstanceHost,
    private readonly unknownHost: 'default' | '404',
    private readonly logger: Logger,
  ) {}

  /** The instance domain, read at use: the stored one replaces the configured one when the engine starts. */
  get defaultDomain(): KnownDomain {
    const hostname = this.instance.hostname;
    if (this.defaultEntry?.hostname !== hostname) this.defaultEntry = { hostname, secure: !isLocalHost(hostname) };
    return this.defaultEntry;
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), REFRESH_EVERY_MS).unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async load(): Promise<void> {
    try {
      const rows = await this.store.hosts();
      const domains = new Map<string, KnownDomain>([[this.defaultDomain.hostname, this.defaultDomain]]);
      for (const row of rows) domains.set(row.hostname, { hostname: row.hostname, secure: row.secure });
      this.domains = domains;
    } catch (error) {
      this.logger.error({ err: error }, 'could not load the domains table; keeping the previous list');
      throw error;
    } finally {
      this.refreshedAt = performance.now();
    }
  }

  knows(hostname: string): boolean {
    return this.domains.has(hostname);
  }

  /** The domain a normalised host names: with its port, then without it; undefined when unknown. */
  lookup(host: string | undefined): KnownDomain | undefined {
    if (host === undefined) return undefined;
    const exact = this.domains.get(host);
    if (exact) return exact;
    const bare = withoutPort(host);
    return bare === null ? undefined : this.domains.get(bare);
  }

  /** What an unknown host gets: the default domain, or nothing (404) when MASK_UNKNOWN_HOST=404. */
  fallback(): KnownDomain | null {
    return this.unknownHost === 'default' ? this.defaultDomain : null;
  }

  /**
   * The domain a raw Host header names, for routes off the fast path (bio pages, public QR codes): an unknown host gets
   * a fresh look at the table (at most every few seconds), then the fallback. Null for a malformed host, or an unknown
   * one when unknown hosts answer 404.
   */
  async resolve(header: string | undefined): Promise<KnownDomain | null> {
    const host = normaliseHost(header);
    if (host === null) return null;
    const known = this.lookup(host);
    if (known) return known;
    if (host !== undefined && this.shouldRecheck()) {
      await this.refresh().catch(() => undefined);
      const found = this.lookup(host);
      if (found) return found;
    }
    return this.fallback();
  }

  /** True when an unknown host is worth a fresh look at the table. */
  shouldRecheck(): boolean {
    return performance.now() - this.refreshedAt > RECHECK_UNKNOWN_AFTER_MS;
  }
}
