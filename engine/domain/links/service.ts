import type { Knex } from 'knex';
import type { LinkFilters, LinkOwner, LinkRow, LinkStore } from '../../store/links';
import type { Paginator } from '../../store/pagination';
import type { TransactionRunner } from '../../store/transactions';
import { hashPassword } from '../../support/crypto';
import { ApiError, notFound, validationError, type ErrorDetail } from '../../support/errors';
import { newId } from '../../support/ids';
import type { Clock } from '../../support/time';
import type { Actor } from '../actor';
import { recordAudits, type AuditEntry } from '../audit';
import type { LinkChanges } from '../link-changes';
import type { EventType, Outbox } from '../outbox';
import { claimSlugs, notOwned, transactionClaimingAddresses } from './claims';
import { claimExternalIds } from './external-ids';
import type { LinkDomains, WorkspaceDomainSet } from './domains';
import { PLAIN_FIELDS, scheduleProblems, type LinkDraft, type LinkPatch } from './fields';
import { organizationChanges, organizationColumns, type LinkOrganizer } from './organization';
import { serializeLink, type PublicLink } from './serializer';
import { randomSlug } from './slugs';
import { routingColumns, type LinkEventExtras } from '../routing/link-fields';

export interface LinkListOptions extends LinkFilters {
  limit: number;
  cursor?: string;
  sort: 'created_at' | 'clicks' | 'updated_at';
  order: 'asc' | 'desc';
}

export type CreateOutcome = { link: PublicLink } | { error: ApiError };

export interface CreateOptions {
  /** Made through the keyless guest endpoint: marked so the guest sweeper deletes it (see domain/guest-links). */
  guest?: boolean;
}

/**
 * How many more links an owner may create, read inside the creating transaction (the plan's limits, see PlanLimits).
 * `refusal` is the error of each link beyond `remaining`.
 */
export interface LinkQuota {
  allowance(trx: Knex.Transaction, owner: LinkOwner, at: Date): Promise<{ remaining: number; refusal: ApiError | null }>;
}

type LinkEventType = Extract<EventType, `link.${string}`>;

/** One change for the audit log (before/after) and for webhooks (`link`: the public object). */
interface LinkChange {
  link: PublicLink;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** A link another service changed (moved to a folder, say), with the fields it changed as they were before. */
export interface ChangedElsewhere {
  id: string;
  before: Record<string, unknown>;
}

/** What services that change links in bulk need to audit and announce those changes like every other. */
export type LinkChangeRecorder = Pick<LinkService, 'recordChangedElsewhere'>;

/** A draft that passed the checks made before the transaction, with the row it will become. */
interface Candidate {
  index: number;
  row: LinkRow;
  customSlug: boolean;
}

/** Binds a list cursor to its workspace, mode, filters and sort: a cursor from another list is refused. */
export function linkListScope(owner: LinkOwner, options: LinkListOptions): string {
  const { search, tag, domain, createdAfter, createdBefore, folderId, campaignId } = options;
  const filters = [search, tag, domain, createdAfter?.getTime(), createdBefore?.getTime(), folderId, campaignId];
  return `links:${owner.workspaceId}:${owner.mode}:${JSON.stringify(filters)}`;
}

/** Links: create (one or many), read, list, update and delete, each change audited and announced in one transaction. */
export class LinkService {
  constructor(
    private readonly store: LinkStore,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly domains: LinkDomains,
    private readonly outbox: Outbox,
    private readonly changes: LinkChanges,
    private readonly paginator: Paginator,
    private readonly quota: LinkQuota,
    /** What `link.updated` payloads carry besides the link (its routing rules). */
    private readonly eventExtras: LinkEventExtras | null = null,
    private readonly organizer: LinkOrganizer | null = null,
  ) {}

  async create(actor: Actor, draft: LinkDraft, options: CreateOptions = {}): Promise<PublicLink> {
    const [outcome] = await this.createMany(actor, [draft], options);
    if ('error' in outcome) throw outcome.error;
    return outcome.link;
  }

  /**
   * Creates each draft on its own: one outcome per draft, in order. Failed drafts leave nothing behind; the others
   * are written in one transaction with one audit entry and one `link.created` event each.
   */
  async createMany(actor: Actor, drafts: LinkDraft[], options: CreateOptions = {}): Promise<CreateOutcome[]> {
    const now = this.clock.now();
    const outcomes: CreateOutcome[] = new Array(drafts.length);
    const domains = await this.domains.forWorkspace(actor.workspaceId);
    const candidates: Candidate[] = [];
    const unprepared = (await this.organizer?.prepare(actor, drafts)) ?? new Map<number, ApiError>();
    drafts.forEach((draft, index) => {
      const domain = draft.domain ?? domains.defaultDomain;
      const problem = unprepared.get(index);
      if (problem) {
        outcomes[index] = { error: problem };
      } else if (!domains.has(domain)) {
        outcomes[index] = { error: notOwned(domain) };
      } else {
        const row = LinkService.newRow(actor, draft, domain, now.getTime());
        if (options.guest) row.guest = true;
        candidates.push({ index, row, customSlug: Boolean(draft.slug) });
      }
    });
    if (candidates.length === 0) return outcomes;
    // scrypt runs on the libuv pool; hashed before the transaction so no lock waits on it.
    await Promise.all(
      candidates.map(async (candidate) => {
        const password = drafts[candidate.index].password;
        if (password) candidate.row.password_hash = await hashPassword(password);
      }),
    );

    // A slug taken by a concurrent writer between the check and the insert runs the whole transaction again.
    const { created, refused } = await transactionClaimingAddresses(this.transactions, async (trx) => {
      // The plan first: it locks the workspace row, before any domain row is locked (the order domain deletes take).
      const { remaining, refusal } = await this.quota.allowance(trx, actor, now);
      const owned = await this.domains.stillOwned(trx, actor.workspaceId, [...new Set(candidates.map((candidate) => candidate.row.domain))]);
      const refused = new Map<Candidate, ApiError>();
      for (const candidate of candidates) if (!owned.has(candidate.row.domain)) refused.set(candidate, notOwned(candidate.row.domain));
      for (const [at, error] of (await this.organizer?.check(trx, actor, candidates.map((candidate) => candidate.row))) ?? []) refused.set(candidates[at], error);
      for (const [candidate, error] of await claimSlugs(trx, this.store, candidates.filter((candidate) => !refused.has(candidate)))) refused.set(candidate, error);
      for (const [candidate, error] of await claimExternalIds(trx, this.store, actor, candidates.filter((candidate) => !refused.has(candidate)))) refused.set(candidate, error);
      const admissible = candidates.filter((candidate) => !refused.has(candidate));
      for (const candidate of admissible.slice(remaining)) refused.set(candidate, refusal as ApiError);
      const created = admissible.slice(0, remaining);
      await this.store.insert(trx, created.map((candidate) => candidate.row));
      const links = created.map((candidate) => serializeLink(candidate.row, domains.isSecure(candidate.row.domain)));
      await this.record(trx, actor, 'link.created', links.map((link) => ({ link, before: null, after: { ...link } })), now);
      return { created: created.map((candidate, i) => ({ candidate, link: links[i] })), refused };
    });
    for (const [candidate, error] of refused) outcomes[candidate.index] = { error };
    for (const { candidate, link } of created) {
      outcomes[candidate.index] = { link };
      this.changes.publish({ id: link.id, domain: link.domain, slug: link.slug, kind: 'created' });
    }
    return outcomes;
  }

  async get(actor: Actor, id: string): Promise<PublicLink> {
    const row = await this.store.find(actor, id);
    if (!row) throw notFound('Link');
    return this.present([row], await this.domains.forWorkspace(actor.workspaceId))[0];
  }

  /** Changes only the fields present; a patch that changes nothing leaves `updated_at`, the audit log and webhooks alone. */
  async update(actor: Actor, id: string, patch: LinkPatch): Promise<PublicLink> {
    const now = this.clock.now();
    const newHash = patch.password ? await hashPassword(patch.password) : undefined;
    const domains = await this.domains.forWorkspace(actor.workspaceId);
    const result = await transactionClaimingAddresses(this.transactions, async (trx) => {
      const row = await this.store.find(actor, id, trx);
      if (!row) throw notFound('Link');
      const { changes, tags } = this.diff(row, patch, newHash);
      const [refused] = (await this.organizer?.check(trx, actor, [changes]))?.values() ?? [];
      if (refused) throw refused;
      if (Object.keys(changes).length === 0) return { link: serializeLink(row, domains.isSecure(row.domain)), changed: false };
      if (changes.external_id) {
        const [conflict] = (await claimExternalIds(trx, this.store, actor, [{ row: { id: row.id, external_id: changes.external_id } }])).values();
        if (conflict) throw conflict;
      }
      changes.updated_at = Math.max(now.getTime(), row.updated_at + 1);
      const updated = await this.store.update(trx, row, changes, tags);
      const before = serializeLink(row, domains.isSecure(row.domain));
      const after = serializeLink(updated, domains.isSecure(row.domain));
      // password_version is in the diff (redacted) so a new password shows in the audit log without its value.
      const audited = [{ link: after, before: { ...before, password_version: row.password_version }, after: { ...after, password_version: updated.password_version } }];
      await this.record(trx, actor, 'link.updated', audited, now);
      return { link: after, changed: true };
    });
    if (result.changed) this.changes.publish({ id, domain: result.link.domain, slug: result.link.slug, kind: 'updated' });
    return result.link;
  }

  /**
   * For links another service changed in bulk in `trx` (a folder move, a deleted campaign or pixel): one audit entry
   * and one `link.updated` event per link, as update() writes them. `before` holds each link's changed fields as they
   * were; the caller publishes the cache notices once `trx` has committed.
   */
  async recordChangedElsewhere(trx: Knex.Transaction, actor: Actor, changed: ChangedElsewhere[], at: Date): Promise<void> {
    if (changed.length === 0) return;
    const domains = await this.domains.forWorkspace(actor.workspaceId, trx);
    const rows = new Map((await this.store.findMany(trx, actor, changed.map(({ id }) => id))).map((row) => [row.id, row]));
    const changes = changed.flatMap(({ id, before }) => {
      const row = rows.get(id);
      if (!row) return [];
      const link = serializeLink(row, domains.isSecure(row.domain));
      const after = Object.fromEntries(Object.keys(before).map((field) => [field, link[field as keyof PublicLink]]));
      return [{ link, before, after }];
    });
    await this.record(trx, actor, 'link.updated', changes, at);
  }

  /** Hard delete: the short URL stops at once. Answers the link as it was. */
  async delete(actor: Actor, id: string): Promise<PublicLink> {
    const now = this.clock.now();
    const domains = await this.domains.forWorkspace(actor.workspaceId);
    const link = await this.transactions.run(async (trx) => {
      const row = await this.store.find(actor, id, trx);
      if (!row) throw notFound('Link');
      await this.store.delete(trx, id);
      const link = serializeLink(row, domains.isSecure(row.domain));
      await this.record(trx, actor, 'link.deleted', [{ link, before: { ...link }, after: null }], now);
      return link;
    });
    this.changes.publish({ id, domain: link.domain, slug: link.slug, kind: 'deleted' });
    return link;
  }

  async list(actor: Actor, options: LinkListOptions): Promise<{ data: PublicLink[]; hasMore: boolean; cursor: string | null }> {
    const { query, table, idColumn } = this.store.listQuery(actor, options);
    const page = await this.paginator.page<LinkRow>(query, {
      limit: options.limit,
      cursor: options.cursor,
      sort: options.sort,
      order: options.order,
      scope: linkListScope(actor, options),
      table,
      idColumn,
    });
    const data = page.rows.length ? this.present(page.rows, await this.domains.forWorkspace(actor.workspaceId)) : [];
    return { data, hasMore: page.hasMore, cursor: page.cursor };
  }

  private present(rows: LinkRow[], domains: WorkspaceDomainSet): PublicLink[] {
    return rows.map((row) => serializeLink(row, domains.isSecure(row.domain)));
  }

  /** The row a draft becomes (imports reuse it, with their own dates and click baseline). */
  static newRow(owner: LinkOwner, draft: LinkDraft, domain: string, at: number): LinkRow {
    return {
      id: newId('lnk', at),
      workspace_id: owner.workspaceId,
      mode: owner.mode,
      domain,
      slug: draft.slug || randomSlug(),
      url: draft.url,
      title: draft.title ?? null,
      notes: draft.notes ?? null,
      external_id: draft.external_id ?? null,
      tags: JSON.stringify(draft.tags ?? []),
      utm_source: draft.utm_source ?? null,
      utm_medium: draft.utm_medium ?? null,
      utm_campaign: draft.utm_campaign ?? null,
      ios_target: draft.ios_target ?? null,
      android_target: draft.android_target ?? null,
      starts_at: draft.starts_at?.getTime() ?? null,
      expires_at: draft.expires_at?.getTime() ?? null,
      max_clicks: draft.max_clicks ?? null,
      password_hash: null,
      password_version: 0,
      clicks: 0,
      created_at: at,
      updated_at: at,
      variants: null,
      preview: null,
      ...routingColumns(draft),
      ...organizationColumns(draft),
    };
  }

  /** Column changes a patch makes to `row` (only real differences), or 422 for what it may not change. */
  private diff(row: LinkRow, patch: LinkPatch, newHash: string | undefined): { changes: Partial<LinkRow>; tags?: string[] } {
    const problems: ErrorDetail[] = [];
    if (patch.slug !== undefined && patch.slug !== row.slug) problems.push({ field: 'slug', message: 'The slug cannot be changed after creation' });
    if (patch.domain !== undefined && patch.domain !== row.domain) problems.push({ field: 'domain', message: 'The domain cannot be changed after creation' });
    const startsAt = patch.starts_at === undefined ? row.starts_at : (patch.starts_at?.getTime() ?? null);
    const expiresAt = patch.expires_at === undefined ? row.expires_at : (patch.expires_at?.getTime() ?? null);
    problems.push(...scheduleProblems({ startsAt, expiresAt }, { startsAt: patch.starts_at !== undefined, expiresAt: patch.expires_at !== undefined }));
    if (problems.length) throw validationError(problems);

    const changes: Partial<LinkRow> = {};
    const set = <K extends keyof LinkRow>(column: K, value: LinkRow[K]) => {
      if (value !== row[column]) changes[column] = value;
    };
    for (const field of PLAIN_FIELDS) if (patch[field] !== undefined) set(field, patch[field] as never);
    for (const [column, value] of Object.entries(routingColumns(patch)) as Array<['variants' | 'preview', string | null]>) set(column, value);
    set('starts_at', startsAt);
    set('expires_at', expiresAt);
    Object.assign(changes, organizationChanges(row, patch));
    let tags: string[] | undefined;
    if (patch.tags !== undefined && JSON.stringify(patch.tags) !== row.tags) {
      tags = patch.tags;
      changes.tags = JSON.stringify(tags);
    }
    if (newHash !== undefined || (patch.password === null && row.password_hash !== null)) {
      changes.password_hash = newHash ?? null;
      changes.password_version = row.password_version + 1;
    }
    return { changes, tags };
  }

  /** One audit entry and one webhook event (carrying the public link) per change, in the caller's transaction. */
  private async record(trx: Knex.Transaction, actor: Actor, type: LinkEventType, changes: LinkChange[], at: Date): Promise<void> {
    const audits: AuditEntry[] = changes.map(({ link, before, after }) => ({ action: type, resourceType: 'link', resourceId: link.id, before, after }));
    await recordAudits(trx, actor, audits, at);
    const extras = type === 'link.updated' && this.eventExtras ? await this.eventExtras(trx, changes.map(({ link }) => link.id)) : null;
    await this.outbox.enqueue(trx, changes.map(({ link }) => ({ workspaceId: actor.workspaceId, mode: actor.mode, type, data: { ...link, ...extras?.get(link.id) } })), at);
  }
}
