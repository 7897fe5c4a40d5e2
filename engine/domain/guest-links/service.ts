import type { RateLimiter, LimitResult } from '../../ratelimit/limiter';
import { LimiterUnavailableError } from '../../ratelimit/resilience';
import { ApiError, validationError } from '../../support/errors';
import type { Clock } from '../../support/time';
import { systemActor } from '../actor';
import type { LinkService } from '../links/service';
import type { PublicLink } from '../links/serializer';
import { guestDestinationProblem, type GuestDestinationRules } from './destinations';
import type { GuestWorkspace } from './workspace';

export const GUEST_WINDOW_MS = 3_600_000;
/** How long a client is told to wait when guest links cannot be counted (the shared limiter is down). */
const UNCOUNTABLE_RETRY_SECONDS = 5;

export interface GuestLinkSettings extends GuestDestinationRules {
  /** MASK_GUEST_LINKS: the instance switch. */
  enabled: boolean;
  /** MASK_GUEST_LINK_LIFETIME: the longest a guest link lives (and the latest `expires_at` a guest may ask for). */
  lifetimeMs: number;
  /** MASK_GUEST_LINKS_PER_HOUR: cost units per client address in any hour. */
  unitsPerHour: number;
}

/** What a guest may give: the seed's alias, password and earlier expiry, nothing else. */
export interface GuestLinkDraft {
  url: string;
  slug?: string | null;
  password?: string | null;
  expires_at?: Date | null;
}

/** The outcome of charging an address: the limiter's state, for the rate-limit headers. */
export type GuestCharge = LimitResult;

/**
 * Keyless, short-lived links (seed 003 "guest links"): made in the guest workspace's live mode through the ordinary
 * link service (so slugs, plan limits, audit and webhooks apply as to any link), marked `guest` so the sweeper
 * deletes them, and never living longer than the configured lifetime.
 */
export class GuestLinkService {
  constructor(
    private readonly links: LinkService,
    private readonly workspace: GuestWorkspace,
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    readonly settings: GuestLinkSettings,
  ) {}

  /** 403 unless the operator turned guest links on. */
  ensureEnabled(): void {
    if (!this.settings.enabled) {
      throw new ApiError('forbidden', 'Guest links are turned off on this instance; create links with an API key instead.');
    }
  }

  /** What a link costs the address: one unit, two with a password (its scrypt hash takes 16 MiB and real CPU time). */
  costOf(draft: GuestLinkDraft): number {
    return draft.password ? 2 : 1;
  }

  /**
   * Takes `cost` units of the address's hourly allowance. Fail closed: while the shared limiter cannot count, every
   * guest link is refused (429), since nothing else stands between an anonymous client and the database.
   */
  async charge(address: string, cost: number): Promise<GuestCharge> {
    try {
      return await this.limiter.consume(`guest:${address}`, this.settings.unitsPerHour, GUEST_WINDOW_MS, cost);
    } catch (error) {
      if (!(error instanceof LimiterUnavailableError)) throw error;
      const now = this.clock.now().getTime();
      return { allowed: false, limit: this.settings.unitsPerHour, remaining: 0, resetAt: now + UNCOUNTABLE_RETRY_SECONDS * 1000, retryAfter: UNCOUNTABLE_RETRY_SECONDS };
    }
  }

  /** 422 naming `url` when a guest may not link there. */
  checkDestination(draft: GuestLinkDraft): void {
    const problem = guestDestinationProblem(draft.url, this.settings);
    if (problem) throw validationError([{ field: 'url', message: problem }]);
  }

  /** Creates the link; `expires_at` is the guest's, or the end of the lifetime. */
  async create(draft: GuestLinkDraft, requestId: string | null): Promise<PublicLink> {
    const workspaceId = await this.workspace.id();
    const latest = new Date(this.clock.now().getTime() + this.settings.lifetimeMs);
    const expiresAt = draft.expires_at && draft.expires_at < latest ? draft.expires_at : latest;
    const actor = { ...systemActor(workspaceId, 'live'), requestId };
    return this.links.create(actor, { url: draft.url, slug: draft.slug ?? null, password: draft.password ?? null, expires_at: expiresAt }, { guest: true });
  }

  /** Deletes one guest link through the link service (audit, `link.deleted`, caches); false when it is gone already. */
  async delete(link: { id: string; workspaceId: string; mode: 'live' | 'test' }): Promise<boolean> {
    try {
      await this.links.delete(systemActor(link.workspaceId, link.mode), link.id);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'not_found') return false;
      throw error;
    }
  }
}
