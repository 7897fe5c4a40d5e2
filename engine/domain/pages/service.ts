import type { Knex } from 'knex';
import { asBool } from '../../store/db';
import type { LinkOwner, LinkStore, ManagedLinkRow } from '../../store/links';
import type { ItemView, PageRow, PageStore } from '../../store/pages';
import type { Paginator } from '../../store/pagination';
import type { TransactionRunner } from '../../store/transactions';
import { ApiError, notFound, validationError, type ErrorDetail } from '../../support/errors';
import { newId } from '../../support/ids';
import type { Clock } from '../../support/time';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import type { LinkChange, LinkChanges } from '../link-changes';
import { addressConflict, claimSlugs, notOwned, transactionClaimingAddresses } from '../links/claims';
import type { LinkDomains, WorkspaceDomainSet } from '../links/domains';
import { randomSlug } from '../links/slugs';
import type { LinkQuota } from '../links/service';
import type { DomainUsage } from '../custom-domains';
import type { Outbox } from '../outbox';
import type { PageDraft, PageItemDraft, PagePatch } from './fields';
import { serializePage, type PublicPage } from './serializer';

export interface PageListOptions {
  limit: number;
  cursor?: string;
  domain?: string;
  published?: boolean;
}

type PageAction = 'page.created' | 'page.updated' | 'page.deleted' | 'page.published' | 'page.unpublished';

/** A committed write: the page as it now is, and the managed links the redirect cache must hear about. */
interface Written {
  page: PublicPage;
  linkChanges: LinkChange[];
}

type Allowance = Awaited<ReturnType<LinkQuota['allowance']>>;

const handleConflict = (domain: string, handle: string) => addressConflict('handle', domain, handle);

/**
 * Bio pages: create, read, list, update, delete, publish and unpublish. Every write runs in one transaction with its
 * audit entry (and, for publish, its `page.published` event), so a failed request leaves nothing behind.
 *
 * Items point at links. A link item points at a link of the workspace; a URL item gets a link the page manages
 * (`links.page_id`): a random slug on the page's domain, hidden from the Links API, reused while the item keeps its
 * URL and domain, deleted with the item. Either way a click on the public page runs through the redirect path.
 */
export class PageService {
  constructor(
    private readonly store: PageStore,
    private readonly links: LinkStore,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly domains: LinkDomains,
    private readonly outbox: Outbox,
    private readonly linkChanges: LinkChanges,
    private readonly paginator: Paginator,
    private readonly quota: LinkQuota,
  ) {}

  /** Pages keep their domain: a page on a domain, in either mode, keeps it from being deleted. */
  readonly domainUsage: DomainUsage = {
    what: 'bio pages',
    count: (trx, workspaceId, hostname) => this.store.countOnDomain(trx, workspaceId, hostname),
  };

  async create(actor: Actor, input: PageDraft): Promise<PublicPage> {
    const now = this.clock.now();
    const domains = await this.domains.forWorkspace(actor.workspaceId);
    const domain = this.checkDomain(domains, input.domain);
    const written = await this.transaction(async (trx) => {
      const allowance = await this.claimDomain(trx, actor, domain, input.items.some((item) => item.url), now);
      if (await this.store.handleTaken(trx, domain, input.handle)) throw handleConflict(domain, input.handle);
      const row: PageRow = {
        id: newId('pg', now.getTime()),
        workspace_id: actor.workspaceId,
        mode: actor.mode,
        domain,
        handle: input.handle,
        title: input.title ?? null,
        description: input.description ?? null,
        avatar_url: input.avatar_url ?? null,
        theme: input.theme,
        published: false,
        published_at: null,
        created_at: now.getTime(),
        updated_at: now.getTime(),
      };
      await this.store.insert(trx, row);
      const { items, linkChanges } = await this.saveItems(trx, actor, row, input.items, [], now.getTime(), allowance);
      const page = serializePage(row, items, domains);
      await this.audit(trx, actor, 'page.created', page, null, page, now);
      return { page, linkChanges };
    });
    return this.announce(written);
  }

  async get(actor: Actor, id: string): Promise<PublicPage> {
    const row = await this.store.find(actor, id);
    if (!row) throw notFound('Page');
    const [items, domains] = await Promise.all([this.store.items([row.id]), this.domains.forWorkspace(actor.workspaceId)]);
    return serializePage(row, items.get(row.id) ?? [], domains);
  }

  async list(actor: Actor, options: PageListOptions): Promise<{ data: PublicPage[]; hasMore: boolean; cursor: string | null }> {
    const filters = { domain: options.domain, published: options.published };
    const page = await this.paginator.page<PageRow>(this.store.listQuery(actor, filters), {
      limit: options.limit,
      cursor: options.cursor,
      sort: 'created_at',
      order: 'desc',
      scope: `pages:${actor.workspaceId}:${actor.mode}:${JSON.stringify(filters)}`,
    });
    if (page.rows.length === 0) return { data: [], hasMore: page.hasMore, cursor: page.cursor };
    const [items, domains] = await Promise.all([
      this.store.items(page.rows.map((row) => row.id)),
      this.domains.forWorkspace(actor.workspaceId),
    ]);
    return { data: page.rows.map((row) => serializePage(row, items.get(row.id) ?? [], domains)), hasMore: page.hasMore, cursor: page.cursor };
  }

  /**
   * A published page as visitors see it, or null. Items whose link is not open right now (not started, expired, or out
   * of clicks) are left out, as peers do with scheduled links; a visit to them would only show an error page.
   */
  async findPublished(domain: string, handle: string): Promise<{ page: PublicPage; mode: PageRow['mode'] } | null> {
    const row = await this.store.findPublished(domain, handle);
    if (!row) return null;
    const [items, domains] = await Promise.all([this.store.items([row.id]), this.domains.forWorkspace(row.workspace_id)]);
    const now = this.clock.now().getTime();
    const open = (items.get(row.id) ?? []).filter(
      (item) =>
        (item.starts_at === null || item.starts_at <= now) &&
        (item.expires_at === null || item.expires_at > now) &&
        (item.max_clicks === null || item.clicks < item.max_clicks),
    );
    return { page: serializePage(row, open, domains), mode: row.mode };
  }

  /** Changes only what the patch names; `items` replaces the list. A patch that changes nothing writes nothing. */
  async update(actor: Actor, id: string, patch: PagePatch): Promise<PublicPage> {
    const now = this.clock.now();
    const domains = await this.domains.forWorkspace(actor.workspaceId);
    const domain = patch.domain === undefined ? undefined : this.checkDomain(domains, patch.domain);
    const written = await this.transaction(async (trx) => {
      const row = await this.store.find(actor, id, trx);
      if (!row) throw notFound('Page');
      const before = (await this.store.items([row.id], trx)).get(row.id) ?? [];
      const urlItems = patch.items ? patch.items.some((item) => item.url) : before.some((item) => item.link_page_id === row.id);
      const allowance = patch.items !== undefined || domain !== undefined ? await this.claimDomain(trx, actor, domain ?? row.domain, urlItems, now) : null;
      const changes: Partial<PageRow> = {};
      const set = <K extends keyof PageRow>(column: K, value: PageRow[K] | undefined) => {
        if (value !== undefined && value !== row[column]) changes[column] = value;
      };
      set('domain', domain);
      set('handle', patch.handle);
      set('title', patch.title);
      set('description', patch.description);
      set('avatar_url', patch.avatar_url);
      set('theme', patch.theme);
      const updated: PageRow = { ...row, ...changes };
      if ((changes.domain || changes.handle) && (await this.store.handleTaken(trx, updated.domain, updated.handle, row.id))) {
        throw handleConflict(updated.domain, updated.handle);
      }
      let items = before;
      let linkChanges: LinkChange[] = [];
      // Items are rewritten when given, and when the domain moves (managed links live on the page's domain).
      if (patch.items !== undefined || changes.domain) {
        const wanted = patch.items ?? before.map((item) => (item.link_page_id === row.id ? { label: item.label, url: item.url } : { label: item.label, link_id: item.link_id }));
        ({ items, linkChanges } = await this.saveItems(trx, actor, updated, wanted, before, now.getTime(), allowance));
      }
      const oldPage = serializePage(row, before, domains);
      const itemsChanged = JSON.stringify(serializePage(updated, items, domains).items) !== JSON.stringify(oldPage.items);
      if (Object.keys(changes).length === 0 && !itemsChanged) return { page: oldPage, linkChanges };
      updated.updated_at = Math.max(now.getTime(), row.updated_at + 1);
      await this.store.update(trx, row.id, { ...changes, updated_at: updated.updated_at });
      const page = serializePage(updated, items, domains);
      await this.audit(trx, actor, 'page.updated', page, oldPage, page, now);
      return { page, linkChanges };
    });
    return this.announce(written);
  }

  async delete(actor: Actor, id: string): Promise<PublicPage> {
    const now = this.clock.now();
    const domains = await this.domains.forWorkspace(actor.workspaceId);
    const written = await this.transaction(async (trx) => {
      const row = await this.store.find(actor, id, trx);
      if (!row) throw notFound('Page');
      const items = (await this.store.items([row.id], trx)).get(row.id) ?? [];
      const page = serializePage(row, items, domains);
      const managed = items.filter((item) => item.link_page_id === row.id);
      await this.store.replaceItems(trx, row.id, []);
      await this.links.deleteManaged(trx, row.id, managed.map((item) => item.link_id));
      await this.store.delete(trx, row.id);
      await this.audit(trx, actor, 'page.deleted', page, page, null, now);
      return { page, linkChanges: managed.map((item) => ({ id: item.link_id, domain: item.domain, slug: item.slug, kind: 'deleted' as const })) };
    });
    return this.announce(written);
  }

  /** Publishing an unpublished page emits `page.published`; publishing a published page changes nothing. */
  async setPublished(actor: Actor, id: string, published: boolean): Promise<PublicPage> {
    const now = this.clock.now();
    const domains = await this.domains.forWorkspace(actor.workspaceId);
    return this.transaction(async (trx) => {
      const row = await this.store.find(actor, id, trx);
      if (!row) throw notFound('Page');
      const items = (await this.store.items([row.id], trx)).get(row.id) ?? [];
      if (asBool(row.published) === published) return serializePage(row, items, domains);
      const changes = { published, published_at: published ? now.getTime() : null, updated_at: Math.max(now.getTime(), row.updated_at + 1) };
      await this.store.update(trx, row.id, changes);
      const before = serializePage(row, items, domains);
      const page = serializePage({ ...row, ...changes }, items, domains);
      await this.audit(trx, actor, published ? 'page.published' : 'page.unpublished', page, before, page, now);
      if (published) await this.outbox.enqueue(trx, [{ workspaceId: actor.workspaceId, mode: actor.mode, type: 'page.published', data: { ...page } }], now);
      return page;
    });
  }

  /**
   * Inside the writing transaction, in the order link creation takes its locks: the plan first (when new managed links
   * may be needed), then the page's domain, which must still be the workspace's (a domain deleted meanwhile refuses
   * the page; a domain delete waits for it and then sees it).
   */
  private async claimDomain(trx: Knex.Transaction, owner: LinkOwner, domain: string, mayCreateLinks: boolean, at: Date): Promise<Allowance | null> {
    const allowance = mayCreateLinks ? await this.quota.allowance(trx, owner, at) : null;
    if (!(await this.domains.stillOwned(trx, owner.workspaceId, [domain])).has(domain)) {
      throw notOwned(domain);
    }
    return allowance;
  }

  private checkDomain(domains: WorkspaceDomainSet, wanted: string | null | undefined): string {
    const domain = wanted ?? domains.defaultDomain;
    if (!domains.has(domain)) throw notOwned(domain);
    return domain;
  }

  /**
   * Writes `inputs` as the page's items: link items are checked against the owner's links; URL items reuse the page's
   * managed link for the same URL on the same domain, or get a new one; managed links no item uses any more go.
   */
  private async saveItems(
    trx: Knex.Transaction,
    owner: LinkOwner,
    page: PageRow,
    inputs: PageItemDraft[],
    before: ItemView[],
    at: number,
    allowance: Allowance | null,
  ): Promise<{ items: ItemView[]; linkChanges: LinkChange[] }> {
    const linkable = await this.links.unmanagedIds(trx, owner, [...new Set(inputs.flatMap((item) => (item.link_id ? [item.link_id] : [])))]);
    const problems: ErrorDetail[] = inputs.flatMap((item, index) =>
      item.link_id && !linkable.has(item.link_id) ? [{ field: `items.${index}.link_id`, message: `No link ${item.link_id} in this workspace` }] : [],
    );
    if (problems.length) throw validationError(problems);

    const reusable = before.filter((item) => item.link_page_id === page.id && item.domain === page.domain);
    const kept = new Set<ItemView>();
    const created: ManagedLinkRow[] = [];
    const retitled: Array<{ id: string; title: string }> = [];
    const targets = inputs.map((item) => {
      if (item.link_id) return { label: item.label, link_id: item.link_id };
      const reuse = reusable.find((candidate) => candidate.url === item.url && !kept.has(candidate));
      if (reuse) {
        kept.add(reuse);
        if (reuse.label !== item.label) retitled.push({ id: reuse.link_id, title: item.label });
        return { label: item.label, link_id: reuse.link_id };
      }
      const row: ManagedLinkRow = {
        id: newId('lnk', at),
        workspace_id: page.workspace_id,
        mode: page.mode,
        page_id: page.id,
        domain: page.domain,
        slug: randomSlug(),
        url: item.url as string,
        title: item.label,
        created_at: at,
        updated_at: at,
      };
      created.push(row);
      return { label: item.label, link_id: row.id };
    });
    // Managed links are links: the plan's max_links and monthly click limit apply to them as to any other.
    if (created.length > 0 && allowance && created.length > allowance.remaining) throw allowance.refusal as ApiError;
    // Random slugs, drawn again on a collision; a race with another writer retries the transaction.
    await claimSlugs(trx, this.links, created.map((row) => ({ row, customSlug: false })));
    const dropped = before.filter((item) => item.link_page_id === page.id && !kept.has(item));

    // New links first and old ones last: items always point at existing links.
    await this.links.insertManaged(trx, created);
    await this.store.replaceItems(trx, page.id, targets);
    await this.links.deleteManaged(trx, page.id, dropped.map((item) => item.link_id));
    // A managed link is titled after its item, so analytics and click events name it the way the page does.
    for (const { id, title } of retitled) await this.links.retitleManaged(trx, id, title);
    const items = (await this.store.items([page.id], trx)).get(page.id) ?? [];
    const linkChanges: LinkChange[] = [
      ...dropped.map((item) => ({ id: item.link_id, domain: item.domain, slug: item.slug, kind: 'deleted' as const })),
      ...created.map((row) => ({ id: row.id, domain: row.domain, slug: row.slug, kind: 'created' as const })),
    ];
    return { items, linkChanges };
  }

  private async audit(trx: Knex.Transaction, actor: Actor, action: PageAction, page: PublicPage, before: PublicPage | null, after: PublicPage | null, at: Date) {
    await recordAudit(trx, actor, { action, resourceType: 'page', resourceId: page.id, before: before && { ...before }, after: after && { ...after } }, at);
  }

  /** One transaction; a handle or a slug taken meanwhile runs it again, where the checks see it. */
  private transaction<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return transactionClaimingAddresses(this.transactions, work);
  }

  /** After the commit: the redirect cache forgets deleted managed links and learns of new ones. */
  private announce(written: Written): PublicPage {
    for (const change of written.linkChanges) this.linkChanges.publish(change);
    return written.page;
  }
}
