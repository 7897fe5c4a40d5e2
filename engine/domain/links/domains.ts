import type { CustomDomainStore } from '../../store/custom-domains';
import type { LinkStore } from '../../store/links';
import type { Transaction } from '../../store/transactions';
import type { DomainUsage } from '../custom-domains';
import type { InstanceHost } from '../instance-domain';
import { isLocalHost } from '../workspaces';

/** The domains one workspace may put links on: the instance domain, shared by all, and its own custom domains. */
export class WorkspaceDomainSet {
  constructor(
    /** The domain used when a link names none. */
    readonly defaultDomain: string,
    private readonly secureByHost: ReadonlyMap<string, boolean>,
  ) {}

  /** True when `hostname` (lower case) may carry links of this workspace. */
  has(hostname: string): boolean {
    return this.secureByHost.has(hostname);
  }

  /** Whether short URLs on `hostname` use https. A domain the workspace no longer owns falls back to its name. */
  isSecure(hostname: string): boolean {
    return this.secureByHost.get(hostname) ?? !isLocalHost(hostname);
  }
}

export class LinkDomains {
  constructor(
    private readonly domains: CustomDomainStore,
    private readonly instance: InstanceHost,
    private readonly links: LinkStore,
  ) {}

  /** Read at use: the stored instance domain replaces the configured one when the engine starts. */
  private get instanceDomain(): string {
    return this.instance.hostname;
  }

  /** One query: the workspace's default and its custom domains with their scheme. */
  /** The workspace's domains; with `trx`, read in that transaction (SQLite has one connection: it must not wait for it). */
  async forWorkspace(workspaceId: string, trx?: Transaction): Promise<WorkspaceDomainSet> {
    const { defaultDomain, domains } = await this.domains.linkDomainsOf(workspaceId, trx);
    const secureByHost = new Map<string, boolean>([[this.instanceDomain, !isLocalHost(this.instanceDomain)]]);
    for (const domain of domains) secureByHost.set(domain.hostname, domain.secure);
    return new WorkspaceDomainSet(defaultDomain ?? this.instanceDomain, secureByHost);
  }

  /**
   * Which of `hostnames` are still the workspace's, read inside the creating transaction with a key-share lock on
   * their rows: a domain deleted meanwhile is noticed, and a delete waits for the links being created on it (and then
   * finds them). The instance domain is always the workspace's.
   */
  async stillOwned(tx: Transaction, workspaceId: string, hostnames: string[]): Promise<Set<string>> {
    const owned = new Set(hostnames.filter((hostname) => hostname === this.instanceDomain));
    const custom = hostnames.filter((hostname) => hostname !== this.instanceDomain);
    if (custom.length === 0) return owned;
    for (const hostname of await this.domains.with(tx).lockOwned(workspaceId, custom)) owned.add(hostname);
    return owned;
  }

  /** Links keep their domain: one on a domain, in either mode, keeps it from being deleted. */
  readonly usage: DomainUsage = {
    what: 'links',
    count: (trx, workspaceId, hostname) => this.links.countOnDomain(trx, workspaceId, hostname),
  };
}
