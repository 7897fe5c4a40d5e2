import type { Knex } from 'knex';
import { asBool, isUniqueViolation } from './db';
import type { Page, PageQuery, Paginator } from './pagination';
import type { Transaction } from './transactions';

export interface CustomDomain {
  id: string;
  workspaceId: string;
  hostname: string;
  secure: boolean;
  isDefault: boolean;
  createdAt: Date;
}

/** Thrown by `insert` when the host name is already stored (a host name belongs to one workspace in the instance). */
export class HostnameTaken extends Error {
  constructor(readonly hostname: string) {
    super(`${hostname} is already a custom domain.`);
    this.name = 'HostnameTaken';
  }
}

interface DomainRow {
  id: string;
  workspace_id: string;
  hostname: string;
  secure: unknown;
  is_default: unknown;
  created_at: number;
}

const toDomain = (row: DomainRow): CustomDomain => ({
  id: row.id,
  workspaceId: row.workspace_id,
  hostname: row.hostname,
  secure: asBool(row.secure),
  isDefault: asBool(row.is_default),
  createdAt: new Date(row.created_at),
});

/**
 * Custom domains (`domains`). `is_default` mirrors `workspaces.default_domain`: at most one row per workspace has it
 * (a unique index).
 */
export class CustomDomainStore {
  constructor(private readonly db: Knex) {}

  with(tx: Transaction): CustomDomainStore {
    return new CustomDomainStore(tx);
  }

  /** Throws HostnameTaken when another domain, in any workspace, has the host name. */
  async insert(domain: CustomDomain): Promise<void> {
    try {
      await this.db('domains').insert({
        id: domain.id,
        workspace_id: domain.workspaceId,
        hostname: domain.hostname,
        secure: domain.secure,
        is_default: domain.isDefault,
        created_at: domain.createdAt.getTime(),
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new HostnameTaken(domain.hostname);
      throw error;
    }
  }

  /** One query: the workspace's default domain and its custom domains with their scheme. */
  async linkDomainsOf(workspaceId: string, db: Knex = this.db): Promise<{ defaultDomain: string | null; domains: Array<{ hostname: string; secure: boolean }> }> {
    const rows: Array<{ default_domain: string | null; hostname: string | null; secure: unknown }> = await db('workspaces')
      .leftJoin('domains', 'domains.workspace_id', 'workspaces.id')
      .where('workspaces.id', workspaceId)
      .select('workspaces.default_domain', 'domains.hostname', 'domains.secure');
    const domains = rows.flatMap((row) => (row.hostname ? [{ hostname: row.hostname, secure: asBool(row.secure) }] : []));
    return { defaultDomain: rows[0]?.default_domain ?? null, domains };
  }

  /**
   * Which of `hostnames` are the workspace's, with a key-share lock on their rows (in a transaction: a delete waits for
   * what is being created on them).
   */
  async lockOwned(workspaceId: string, hostnames: string[]): Promise<Set<string>> {
    const rows: Array<{ hostname: string }> = await this.db('domains')
      .where({ workspace_id: workspaceId })
      .whereIn('hostname', hostnames)
      .forKeyShare()
      .select('hostname');
    return new Set(rows.map((row) => row.hostname));
  }

  async find(workspaceId: string, id: string): Promise<CustomDomain | undefined> {
    const row = await this.db<DomainRow>('domains').where({ id, workspace_id: workspaceId }).first();
    return row && toDomain(row);
  }

  /** As `find`, locking the row for the rest of the transaction. */
  async findForUpdate(workspaceId: string, id: string): Promise<CustomDomain | undefined> {
    const row = await this.db<DomainRow>('domains').where({ id, workspace_id: workspaceId }).forUpdate().first();
    return row && toDomain(row);
  }

  /** The domain with this id or (when given) this host name, in any workspace. */
  async findByIdOrHostname(id: string, hostname: string | null): Promise<CustomDomain | undefined> {
    const row = await this.db<DomainRow>('domains')
      .where({ id })
      .modify((q) => (hostname ? q.orWhere({ hostname }) : q))
      .first();
    return row && toDomain(row);
  }

  /** The domain with this host name, in any workspace. */
  async findByHostname(hostname: string): Promise<CustomDomain | undefined> {
    const row = await this.db<DomainRow>('domains').where({ hostname }).first();
    return row && toDomain(row);
  }

  /** Host name and scheme of every domain, in any workspace (the redirect path's directory). */
  async hosts(): Promise<Array<{ hostname: string; secure: boolean }>> {
    const rows: Array<{ hostname: string; secure: unknown }> = await this.db('domains').select('hostname', 'secure');
    return rows.map((row) => ({ hostname: row.hostname, secure: asBool(row.secure) }));
  }

  /** Every domain, or one workspace's, oldest first. */
  async list(workspaceId?: string): Promise<CustomDomain[]> {
    const query = this.db<DomainRow>('domains').orderBy('id');
    if (workspaceId) query.where({ workspace_id: workspaceId });
    return (await query).map(toDomain);
  }

  async page(paginator: Paginator, workspaceId: string, page: PageQuery): Promise<Page<CustomDomain>> {
    const found = await paginator.page<DomainRow>(this.db('domains').where({ workspace_id: workspaceId }), page);
    return { ...found, rows: found.rows.map(toDomain) };
  }

  async updateSecure(id: string, secure: boolean): Promise<void> {
    await this.db('domains').where({ id }).update({ secure });
  }

  /** Marks `hostname` the workspace's default domain, and no other; null: none of them. */
  async markDefault(workspaceId: string, hostname: string | null): Promise<void> {
    await this.db('domains').where({ workspace_id: workspaceId, is_default: true }).update({ is_default: false });
    if (hostname) await this.db('domains').where({ workspace_id: workspaceId, hostname }).update({ is_default: true });
  }

  async delete(id: string): Promise<void> {
    await this.db('domains').where({ id }).del();
  }
}
