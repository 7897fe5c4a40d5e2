import type { Knex } from 'knex';
import { asBool } from '../../store/db';
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
}
