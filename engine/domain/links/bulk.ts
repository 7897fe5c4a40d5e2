import type { LinkStore } from '../../store/links';
import { ApiError, validationError } from '../../support/errors';
import type { Actor } from '../actor';
import { addressConflict } from './claims';
import type { LinkDomains } from './domains';
import type { LinkDraft, LinkPatch } from './fields';
import type { PublicLink } from './serializer';
import type { CreateOutcome, LinkService } from './service';

/** One result per item of a bulk request: bulk create's outcome (the link, or its failure). */
export type ItemOutcome = CreateOutcome;

const MAX_UPSERT_ROUNDS = 4;

/**
 * Upserts and bulk changes, built on LinkService so every link keeps its own transaction, audit entry and webhook.
 */
export class LinkBulkOperations {
  constructor(
    private readonly links: LinkService,
    private readonly store: LinkStore,
    private readonly domains: LinkDomains,
  ) {}

  /**
   * Creates the link, or updates the one with the same `external_id` (or, without one, the same domain and slug) with
   * the fields given. Two clients upserting at once end with one link: the unique indexes refuse the second insert,
   * which is then retried as an update. A slug held by another workspace (or mode) is a 409, never taken over.
   */
  async upsert(actor: Actor, draft: LinkDraft): Promise<{ link: PublicLink; created: boolean }> {
    if (!draft.external_id && !draft.slug) {
      throw validationError([{ field: 'external_id', message: 'Give external_id, or slug (and domain), to say which link to create or update' }]);
    }
    for (let round = 1; ; round++) {
      const existing = await this.find(actor, draft);
      if (existing) return { link: await this.links.update(actor, existing, patchOf(draft)), created: false };
      const [outcome] = await this.links.createMany(actor, [draft]);
      if ('link' in outcome) return { link: outcome.link, created: true };
      // A concurrent upsert created it first: find it again and update it.
      if (outcome.error.code !== 'conflict' || round === MAX_UPSERT_ROUNDS) throw outcome.error;
    }
  }

  async updateMany(actor: Actor, ids: string[], patch: LinkPatch): Promise<ItemOutcome[]> {
    return this.each(ids, (id) => this.links.update(actor, id, patch));
  }

  async deleteMany(actor: Actor, ids: string[]): Promise<ItemOutcome[]> {
    return this.each(ids, (id) => this.links.delete(actor, id));
  }

  private async find(actor: Actor, draft: LinkDraft): Promise<string | undefined> {
    if (draft.external_id) return this.store.idByExternalId(actor, draft.external_id);
    const domain = draft.domain ?? (await this.domains.forWorkspace(actor.workspaceId)).defaultDomain;
    const slug = draft.slug as string;
    const holder = await this.store.holderOf(domain, slug);
    if (!holder) return undefined;
    if (holder.workspace_id !== actor.workspaceId || holder.mode !== actor.mode || holder.page_id !== null) throw addressConflict('slug', domain, slug);
    return holder.id;
  }

  private async each(ids: string[], act: (id: string) => Promise<PublicLink>): Promise<ItemOutcome[]> {
    const outcomes: ItemOutcome[] = [];
    for (const id of ids) {
      try {
        outcomes.push({ link: await act(id) });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        outcomes.push({ error });
      }
    }
    return outcomes;
  }
}

/** An upsert's draft as a patch: the fields given change; slug and domain must match the found link. */
function patchOf(draft: LinkDraft): LinkPatch {
  return Object.fromEntries(Object.entries(draft).filter(([, value]) => value !== undefined)) as LinkPatch;
}
