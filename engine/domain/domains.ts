import type { Knex } from 'knex';
import { asBool, isUniqueViolation } from '../store/db';
import { ApiError, notFound } from '../support/errors';
import { newId } from '../support/ids';
import type { Clock } from '../support/time';
import type { Actor } from './actor';
import { recordAudit } from './audit';
import { canonicalHost, isDevelopmentHost } from './hostnames';
import { lockWorkspace } from './workspaces';

export interface Domain {
  id: string;
  workspaceId: string;
  hostname: string;
  secure: boolean;
  isDefault: boolean;
  createdAt: Date;
}

interface DomainRow {
  id: string;
  workspace_id: string;
  hostname: string;
  secure: unknown;
  is_default: unknown;
  created_at: number;
}

/**
 * Something stored on a domain that keeps it from being deleted: answers how many of them a workspace has on
 * `hostname` (both modes), read inside the deleting transaction. Links register one; bio pages add theirs.
 */
export interface DomainUsage {
  /** Plural noun for the error message, e.g. "links". */
  what: string;
  count(trx: Knex.Transaction, workspaceId: string, hostname: string): Promise<number>;
}

const toDomain = (row: DomainRow): Domain => ({
  id: row.id,
  workspaceId: row.workspace_id,
  hostname: row.hostname,
  secure: asBool(row.secure),
  isDefault: asBool(row.is_default),
  createdAt: new Date(row.created_at),
});

/** What the audit log keeps of a domain. */
const audited = (domain: Domain) => ({ hostname: domain.hostname, secure: domain.secure, is_default: domain.isDefault });

/**
 * Custom domains. A host name belongs to one workspace in the whole instance; each workspace has one default domain
 * (`workspaces.default_domain`, mirrored by `domains.is_default`), the shared instance domain when none is set.
 * Domains are workspace settings: the same for live and test keys.
 */
export type DomainChangeListener = (kind: 'created' | 'updated' | 'deleted', domain: Domain) => void;

export class DomainService {
  private readonly listeners: DomainChangeListener[] = [];

  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly instanceDomain: string,
    private readonly usages: DomainUsage[],
  ) {}

  fromRow = (row: unknown): Domain => toDomain(row as DomainRow);

  /** Runs after a domain change is committed (the redirect path's domain directory reloads). */
  onChange(listener: DomainChangeListener): void {
    this.listeners.push(listener);
  }

  private announce(kind: 'created' | 'updated' | 'deleted', domain: Domain): Domain {
    for (const listener of this.listeners) listener(kind, domain);
    return domain;
  }

  /** The workspace's domains as a query, for the paginated API list. */
  listQuery(workspaceId: string): Knex.QueryBuilder {
    return this.db('domains').where({ workspace_id: workspaceId });
  }

  /** Every domain, or one workspace's, oldest first (the CLI). */
  async list(workspaceId?: string): Promise<Domain[]> {
    const query = this.db<DomainRow>('domains').orderBy('id');
    if (workspaceId) query.where({ workspace_id: workspaceId });
    return (await query).map(toDomain);
  }

  /** A domain by id or by host name, in any workspace (the CLI). */
  async find(idOrHostname: string): Promise<Domain | null> {
    const hostname = canonicalHost(idOrHostname);
    const row = await this.db<DomainRow>('domains')
      .where({ id: idOrHostname })
      .modify((q) => (hostname ? q.orWhere({ hostname }) : q))
      .first();
    return row ? toDomain(row) : null;
  }

  async get(workspaceId: string, id: string, db: Knex = this.db): Promise<Domain> {
    const row = await db<DomainRow>('domains').where({ id, workspace_id: workspaceId }).first();
    if (!row) throw notFound('Domain');
    return toDomain(row);
  }

  /** Adds a canonical host name (see `customDomainOf`) to the workspace; `isDefault` also makes it the default. */
  async create(actor: Actor, input: { hostname: string; secure?: boolean; isDefault?: boolean }): Promise<Domain> {
    const { hostname } = input;
    if (hostname === this.instanceDomain) {
      throw new ApiError('conflict', `${hostname} is this instance's shared domain: every workspace can already use it.`, [
        { field: 'hostname', message: 'The instance domain cannot be added' },
      ]);
    }
    const now = this.clock.now();
    const row: DomainRow = {
      id: newId('dom', now.getTime()),
      workspace_id: actor.workspaceId,
      hostname,
      secure: input.secure ?? !isDevelopmentHost(hostname),
      is_default: false,
      created_at: now.getTime(),
    };
    try {
      const created = await this.db.transaction(async (trx) => {
        await lockWorkspace(trx, actor.workspaceId);
        await trx('domains').insert(row);
        if (input.isDefault) await this.setDefault(trx, actor.workspaceId, hostname, now);
        const domain = toDomain({ ...row, is_default: Boolean(input.isDefault) });
        await recordAudit(trx, actor, { action: 'domain.created', resourceType: 'domain', resourceId: domain.id, after: audited(domain) }, now);
        return domain;
      });
      return this.announce('created', created);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const owner = await this.db('domains').where({ hostname }).first('workspace_id');
      const message = owner?.workspace_id === actor.workspaceId ? `${hostname} is already a domain of this workspace.` : `${hostname} belongs to another workspace.`;
      throw new ApiError('conflict', message, [{ field: 'hostname', message: 'Already in use' }]);
    }
  }

  /** Makes the domain the workspace default (`isDefault: true`) or hands that back to the instance domain (`false`). */
  async update(actor: Actor, id: string, changes: { isDefault?: boolean; secure?: boolean }): Promise<Domain> {
    const now = this.clock.now();
    const { domain, changed } = await this.db.transaction(async (trx) => {
      await lockWorkspace(trx, actor.workspaceId);
      const before = await this.get(actor.workspaceId, id, trx);
      const after = { ...before, isDefault: changes.isDefault ?? before.isDefault, secure: changes.secure ?? before.secure };
      if (after.isDefault === before.isDefault && after.secure === before.secure) return { domain: before, changed: false };
      if (after.secure !== before.secure) await trx('domains').where({ id }).update({ secure: after.secure });
      if (after.isDefault !== before.isDefault) await this.setDefault(trx, actor.workspaceId, after.isDefault ? before.hostname : null, now);
      await recordAudit(trx, actor, { action: 'domain.updated', resourceType: 'domain', resourceId: id, before: audited(before), after: audited(after) }, now);
      return { domain: after, changed: true };
    });
    return changed ? this.announce('updated', domain) : domain;
  }

  /**
   * Deletes a domain nothing uses any more (409 otherwise). Deleting the default domain hands the default back to the
   * instance domain.
   */
  async delete(actor: Actor, id: string): Promise<Domain> {
    const now = this.clock.now();
    const deleted = await this.db.transaction(async (trx) => {
      await lockWorkspace(trx, actor.workspaceId);
      const row = await trx<DomainRow>('domains').where({ id, workspace_id: actor.workspaceId }).forUpdate().first();
      if (!row) throw notFound('Domain');
      const domain = toDomain(row);
      const uses: string[] = [];
      for (const usage of this.usages) {
        const count = await usage.count(trx, actor.workspaceId, domain.hostname);
        if (count > 0) uses.push(`${count} ${usage.what}`);
      }
      if (uses.length) {
        throw new ApiError('conflict', `${domain.hostname} is still used by ${uses.join(' and ')} (live and test); delete or move them first.`);
      }
      await trx('domains').where({ id }).del();
      if (domain.isDefault) await this.setDefault(trx, actor.workspaceId, null, now);
      await recordAudit(trx, actor, { action: 'domain.deleted', resourceType: 'domain', resourceId: id, before: audited(domain) }, now);
      return domain;
    });
    return this.announce('deleted', deleted);
  }

  /**
   * Sets the workspace default to one of its domains, or to the instance domain (`hostname` null or the instance
   * domain), in the caller's transaction. The caller has checked that `hostname` is the workspace's.
   */
  async setDefault(trx: Knex.Transaction, workspaceId: string, hostname: string | null, at: Date): Promise<void> {
    const custom = hostname === this.instanceDomain ? null : hostname;
    await trx('domains').where({ workspace_id: workspaceId, is_default: true }).update({ is_default: false });
    if (custom) await trx('domains').where({ workspace_id: workspaceId, hostname: custom }).update({ is_default: true });
    await trx('workspaces').where({ id: workspaceId }).update({ default_domain: custom, updated_at: at.getTime() });
  }
}
