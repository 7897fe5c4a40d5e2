import { HostnameTaken, type CustomDomain, type CustomDomainStore } from '../store/custom-domains';
import type { Page, PageQuery, Paginator } from '../store/pagination';
import type { Transaction, TransactionRunner } from '../store/transactions';
import type { WorkspaceStore } from '../store/workspaces';
import { ApiError, notFound } from '../support/errors';
import { newId } from '../support/ids';
import type { Clock } from '../support/time';
import { refuseTestMode, type Actor } from './actor';
import { recordAudit } from './audit';
import { canonicalHost, isDevelopmentHost } from './hostnames';
import type { InstanceHost } from './instance-domain';

export type { CustomDomain } from '../store/custom-domains';

/**
 * Something stored on a domain that keeps it from being deleted: answers how many of them a workspace has on
 * `hostname` (both modes), read inside the deleting transaction. Links register one; bio pages add theirs.
 */
export interface DomainUsage {
  /** Plural noun for the error message, e.g. "links". */
  what: string;
  count(trx: Transaction, workspaceId: string, hostname: string): Promise<number>;
}

/** What the audit log keeps of a domain. */
const audited = (domain: CustomDomain) => ({ hostname: domain.hostname, secure: domain.secure, is_default: domain.isDefault });

export type DomainChangeListener = (kind: 'created' | 'updated' | 'deleted', domain: CustomDomain) => void;

/**
 * Custom domains. A host name belongs to one workspace in the whole instance; each workspace has one default domain
 * (`workspaces.default_domain`, mirrored by `domains.is_default`), the shared instance domain when none is set.
 * Domains are workspace settings: the same for live and test keys, which read them but cannot change them.
 */
export class CustomDomainService {
  private readonly listeners: DomainChangeListener[] = [];

  constructor(
    private readonly domains: CustomDomainStore,
    private readonly workspaces: WorkspaceStore,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly paginator: Paginator,
    private readonly instance: InstanceHost,
    private readonly usages: DomainUsage[],
  ) {}

  /** Read at use: the stored instance domain replaces the configured one when the engine starts. */
  private get instanceDomain(): string {
    return this.instance.hostname;
  }

  /** Runs after a domain change is committed (the redirect path's domain directory reloads). */
  onChange(listener: DomainChangeListener): void {
    this.listeners.push(listener);
  }

  private announce(kind: 'created' | 'updated' | 'deleted', domain: CustomDomain): CustomDomain {
    for (const listener of this.listeners) listener(kind, domain);
    return domain;
  }

  /** A page of the workspace's domains (the API list). */
  page(workspaceId: string, page: PageQuery): Promise<Page<CustomDomain>> {
    return this.domains.page(this.paginator, workspaceId, page);
  }

  /** Every domain, or one workspace's, oldest first (the CLI). */
  list(workspaceId?: string): Promise<CustomDomain[]> {
    return this.domains.list(workspaceId);
  }

  /** A domain by id or by host name, in any workspace (the CLI). */
  async find(idOrHostname: string): Promise<CustomDomain | null> {
    return (await this.domains.findByIdOrHostname(idOrHostname, canonicalHost(idOrHostname))) ?? null;
  }

  async get(workspaceId: string, id: string): Promise<CustomDomain> {
    return this.existing(this.domains.find(workspaceId, id));
  }

  /** Adds a canonical host name (see `customDomainOf`) to the workspace; `isDefault` also makes it the default. */
  async create(actor: Actor, input: { hostname: string; secure?: boolean; isDefault?: boolean }): Promise<CustomDomain> {
    refuseTestMode(actor, 'custom domains');
    const { hostname } = input;
    if (hostname === this.instanceDomain) {
      throw new ApiError('conflict', `${hostname} is this instance's shared domain: every workspace can already use it.`, [
        { field: 'hostname', message: 'The instance domain cannot be added' },
      ]);
    }
    const now = this.clock.now();
    const inserted: CustomDomain = {
      id: newId('dom', now.getTime()),
      workspaceId: actor.workspaceId,
      hostname,
      secure: input.secure ?? !isDevelopmentHost(hostname),
      isDefault: false,
      createdAt: now,
    };
    try {
      const created = await this.transactions.run(async (tx) => {
        await this.workspaces.with(tx).lock(actor.workspaceId);
        await this.domains.with(tx).insert(inserted);
        if (input.isDefault) await this.setDefault(tx, actor.workspaceId, hostname, now);
        const domain = { ...inserted, isDefault: Boolean(input.isDefault) };
        await recordAudit(tx, actor, { action: 'domain.created', resourceType: 'domain', resourceId: domain.id, after: audited(domain) }, now);
        return domain;
      });
      return this.announce('created', created);
    } catch (error) {
      if (!(error instanceof HostnameTaken)) throw error;
      const owner = await this.domains.findByHostname(hostname);
      const message = owner?.workspaceId === actor.workspaceId ? `${hostname} is already a domain of this workspace.` : `${hostname} belongs to another workspace.`;
      throw new ApiError('conflict', message, [{ field: 'hostname', message: 'Already in use' }]);
    }
  }

  /** Makes the domain the workspace default (`isDefault: true`) or hands that back to the instance domain (`false`). */
  async update(actor: Actor, id: string, changes: { isDefault?: boolean; secure?: boolean }): Promise<CustomDomain> {
    refuseTestMode(actor, 'custom domains');
    const now = this.clock.now();
    const { domain, changed } = await this.transactions.run(async (tx) => {
      await this.workspaces.with(tx).lock(actor.workspaceId);
      const before = await this.existing(this.domains.with(tx).find(actor.workspaceId, id));
      const after = { ...before, isDefault: changes.isDefault ?? before.isDefault, secure: changes.secure ?? before.secure };
      if (after.isDefault === before.isDefault && after.secure === before.secure) return { domain: before, changed: false };
      if (after.secure !== before.secure) await this.domains.with(tx).updateSecure(id, after.secure);
      if (after.isDefault !== before.isDefault) await this.setDefault(tx, actor.workspaceId, after.isDefault ? before.hostname : null, now);
      await recordAudit(tx, actor, { action: 'domain.updated', resourceType: 'domain', resourceId: id, before: audited(before), after: audited(after) }, now);
      return { domain: after, changed: true };
    });
    return changed ? this.announce('updated', domain) : domain;
  }

  /**
   * Deletes a domain nothing uses any more (409 otherwise). Deleting the default domain hands the default back to the
   * instance domain.
   */
  async delete(actor: Actor, id: string): Promise<CustomDomain> {
    refuseTestMode(actor, 'custom domains');
    const now = this.clock.now();
    const deleted = await this.transactions.run(async (tx) => {
      await this.workspaces.with(tx).lock(actor.workspaceId);
      const domain = await this.existing(this.domains.with(tx).findForUpdate(actor.workspaceId, id));
      const uses: string[] = [];
      for (const usage of this.usages) {
        const count = await usage.count(tx, actor.workspaceId, domain.hostname);
        if (count > 0) uses.push(`${count} ${usage.what}`);
      }
      if (uses.length) {
        throw new ApiError('conflict', `${domain.hostname} is still used by ${uses.join(' and ')} (live and test); delete or move them first.`);
      }
      await this.domains.with(tx).delete(id);
      if (domain.isDefault) await this.setDefault(tx, actor.workspaceId, null, now);
      await recordAudit(tx, actor, { action: 'domain.deleted', resourceType: 'domain', resourceId: id, before: audited(domain) }, now);
      return domain;
    });
    return this.announce('deleted', deleted);
  }

  /** Whether `hostname` is one of the workspace's domains, read in the caller's transaction. */
  async isOfWorkspace(tx: Transaction, workspaceId: string, hostname: string): Promise<boolean> {
    return (await this.domains.with(tx).findByHostname(hostname))?.workspaceId === workspaceId;
  }

  /**
   * Sets the workspace default to one of its domains, or to the instance domain (`hostname` null or the instance
   * domain), in the caller's transaction. The caller has checked that `hostname` is the workspace's.
   */
  async setDefault(tx: Transaction, workspaceId: string, hostname: string | null, at: Date): Promise<void> {
    const custom = hostname === this.instanceDomain ? null : hostname;
    await this.domains.with(tx).markDefault(workspaceId, custom);
    await this.workspaces.with(tx).update(workspaceId, { defaultDomain: custom, updatedAt: at });
  }

  private async existing(found: Promise<CustomDomain | undefined>): Promise<CustomDomain> {
    const domain = await found;
    if (!domain) throw notFound('Domain');
    return domain;
  }
}
