import type { Knex } from 'knex';
import { asBool } from '../../store/db';
import type { LinkStore } from '../../store/links';
import type { DomainUsage } from '../domains';
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
    private readonly db: Knex,
    private readonly instanceDomain: string,
    private readonly links: LinkStore,
  ) {}

  /** One query: the workspace's default and its custom domains with their scheme. */
  async forWorkspace(workspaceId: string, db: Knex = this.db): Promise<WorkspaceDomainSet> {
    const rows: Array<{ default_domain: string | null; hostname: string | null; secure: unknown }> = await db('workspaces')
      .leftJoin('domains', 'domains.workspace_id', 'workspaces.id')
      .where('workspaces.id', workspaceId)
      .select('workspaces.default_domain', 'domains.hostname', 'domains.secure');
    const secureByHost = new Map<string, boolean>([[this.instanceDomain, !isLocalHost(this.instanceDomain)]]);
    for (const row of rows) if (row.hostname) secureByHost.set(row.hostname, asBool(row.secure));
    return new WorkspaceDomainSet(rows[0]?.default_domain ?? this.instanceDomain, secureByHost);
  }

  /**
   * Which of `hostnames` are still the workspace's, read inside the creating transaction with a key-share lock on
   * their rows: a domain deleted meanwhile is noticed, and a delete waits for the links being created on it (and then
   * finds them). The instance domain is always the workspace's.
   */
  async stillOwned(trx: Knex.Transaction, workspaceId: string, hostnames: string[]): Promise<Set<string>> {
    const owned = new Set(hostnames.filter((hostname) => hostname === this.instanceDomain));
    const custom = hostnames.filter((hostname) => hostname !== this.instanceDomain);
    if (custom.length === 0) return owned;
    const rows: Array<{ hostname: string }> = await trx('domains')
      .where({ workspace_id: workspaceId })
      .whereIn('hostname', custom)
      .forKeyShare()
      .select('hostname');
    for (const row of rows) owned.add(row.hostname);
    return owned;
  }

  /** Links keep their domain: one on a domain, in either mode, keeps it from being deleted. */
  readonly usage: DomainUsage = {
    what: 'links',
    count: (trx, workspaceId, hostname) => this.links.countOnDomain(trx, workspaceId, hostname),
  };
}
