import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { asBool, parseJson } from '../../store/db';
import type { ConversionSettingsRow, ConversionStore } from '../../store/conversions';
import type { LinkOwner } from '../../store/links';
import type { TransactionRunner } from '../../store/transactions';
import { toIso, type Clock } from '../../support/time';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';

export const DEFAULT_CLICK_ID_PARAM = 'mask_click_id';
export const DEFAULT_ATTRIBUTION_WINDOW_DAYS = 90;
export const PUBLISHABLE_KEY_PATTERN = /^mk_pub_[A-Za-z0-9_-]{32}$/;

export interface PublicConversionSettings {
  track_conversions: boolean;
  click_id_param: string;
  attribution_window_days: number;
  allowed_origins: string[];
  publishable_key: string | null;
  updated_at: string | null;
}

export interface ConversionSettingsPatch {
  track_conversions?: boolean;
  click_id_param?: string;
  attribution_window_days?: number;
  allowed_origins?: string[];
}

/** What a publishable key stands for: a workspace, a mode, and the origins it may be used from. */
export interface PublishableIdentity {
  workspaceId: string;
  mode: LinkOwner['mode'];
  allowedOrigins: string[];
}

const CACHE_TTL_MS = 10_000;

const defaults = (owner: LinkOwner): ConversionSettingsRow => ({
  workspace_id: owner.workspaceId,
  mode: owner.mode,
  track_conversions: false,
  click_id_param: DEFAULT_CLICK_ID_PARAM,
  attribution_window_days: DEFAULT_ATTRIBUTION_WINDOW_DAYS,
  allowed_origins: '[]',
  publishable_key: null,
  updated_at: 0,
});

const serialize = (row: ConversionSettingsRow): PublicConversionSettings => ({
  track_conversions: asBool(row.track_conversions),
  click_id_param: row.click_id_param,
  attribution_window_days: Number(row.attribution_window_days),
  allowed_origins: parseJson<string[]>(row.allowed_origins, []),
  publishable_key: row.publishable_key,
  updated_at: row.updated_at ? toIso(Number(row.updated_at)) : null,
});

/**
 * Conversion tracking settings of a workspace and mode: whether redirects append a click id (links may say otherwise),
 * its parameter name, the attribution window, and the publishable key with its allowed origins. Read on the redirect
 * path only when a link is loaded into the redirect cache, from a short-lived cache.
 */
export class ConversionSettings {
  private readonly cache = new LRUCache<string, PublicConversionSettings>({ max: 10_000, ttl: CACHE_TTL_MS });
  private readonly keys = new LRUCache<string, PublishableIdentity | false>({ max: 10_000, ttl: CACHE_TTL_MS });
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly store: ConversionStore,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** Told after a change commits (the redirect cache drops links that carry the old setting). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  async get(owner: LinkOwner): Promise<PublicConversionSettings> {
    const key = `${owner.workspaceId}:${owner.mode}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const settings = serialize((await this.store.settings(owner)) ?? defaults(owner));
    this.cache.set(key, settings);
    return settings;
  }

  async update(actor: Actor, patch: ConversionSettingsPatch): Promise<PublicConversionSettings> {
    return this.change(actor, (row) => ({
      ...row,
      ...(patch.track_conversions === undefined ? {} : { track_conversions: patch.track_conversions }),
      ...(patch.click_id_param === undefined ? {} : { click_id_param: patch.click_id_param }),
      ...(patch.attribution_window_days === undefined ? {} : { attribution_window_days: patch.attribution_window_days }),
      ...(patch.allowed_origins === undefined ? {} : { allowed_origins: JSON.stringify(patch.allowed_origins) }),
    }));
  }

  /** A new publishable key; the previous one stops working at once (in other processes within seconds). */
  rotatePublishableKey(actor: Actor): Promise<PublicConversionSettings> {
    return this.change(actor, (row) => ({ ...row, publishable_key: `mk_pub_${randomBytes(24).toString('base64url')}` }));
  }

  /** The workspace and mode of a publishable key, or null. */
  async authenticate(secret: string): Promise<PublishableIdentity | null> {
    if (!PUBLISHABLE_KEY_PATTERN.test(secret)) return null;
    const cached = this.keys.get(secret);
    if (cached !== undefined) return cached || null;
    const row = await this.store.settingsByPublishableKey(secret);
    const identity = row ? { workspaceId: row.workspace_id, mode: row.mode, allowedOrigins: parseJson<string[]>(row.allowed_origins, []) } : false;
    this.keys.set(secret, identity);
    return identity || null;
  }

  private async change(actor: Actor, apply: (row: ConversionSettingsRow) => ConversionSettingsRow): Promise<PublicConversionSettings> {
    const now = this.clock.now();
    const { after, changed } = await this.transactions.run(async (trx) => {
      const stored = (await this.store.settings(actor, trx)) ?? defaults(actor);
      const row = { ...apply(stored), updated_at: now.getTime() };
      const [before, after] = [serialize(stored), serialize(row)];
      // A patch that changes nothing leaves updated_at and the audit log alone.
      if (JSON.stringify({ ...before, updated_at: null }) === JSON.stringify({ ...after, updated_at: null })) return { after: before, changed: false };
      await this.store.saveSettings(trx, row);
      await recordAudit(trx, actor, { action: 'conversion_settings.updated', resourceType: 'conversion_settings', resourceId: null, before: { ...before }, after: { ...after } }, now);
      return { after, changed: true };
    });
    if (!changed) return after;
    this.cache.clear();
    this.keys.clear();
    for (const listener of this.listeners) listener();
    return after;
  }
}
