import type { Knex } from 'knex';
import { isUniqueViolation } from './db';
import type { LinkOwner } from './links';

export type ConversionType = 'lead' | 'sale';

/** A row of `conversions`. Times are epoch milliseconds; `amount` in the currency's minor units. */
export interface ConversionRow {
  id: string;
  workspace_id: string;
  mode: LinkOwner['mode'];
  type: ConversionType;
  event_name: string;
  customer_id: string;
  click_id: string | null;
  link_id: string | null;
  campaign_id: string | null;
  lead_id: string | null;
  clicked_at: number | null;
  country: string | null;
  device: string | null;
  referrer_host: string | null;
  amount: number | null;
  currency: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  unattributed_reason: string | null;
  metadata: string | null;
  created_at: number;
}

/** The click a conversion may be attributed to, with what analytics groups conversions by. */
export interface AttributableClick {
  id: string;
  link_id: string;
  /** The link's campaign now (null once the link is gone or in no campaign). */
  campaign_id: string | null;
  workspace_id: string;
  mode: LinkOwner['mode'];
  created_at: number;
  country: string | null;
  device: string | null;
  referrer_host: string | null;
}

export interface CustomerRow {
  workspace_id: string;
  mode: LinkOwner['mode'];
  customer_id: string;
  click_id: string | null;
  clicked_at: number | null;
  lead_id: string | null;
  updated_at: number;
}

export interface ConversionSettingsRow {
  workspace_id: string;
  mode: LinkOwner['mode'];
  track_conversions: boolean | number;
  click_id_param: string;
  attribution_window_days: number;
  /** JSON array of origins. */
  allowed_origins: string;
  publishable_key: string | null;
  updated_at: number;
}

/** What conversion analytics narrows to. */
export interface ConversionSelection {
  linkId?: string;
  campaignId?: string;
  domain?: string;
}

export const CONVERSION_GROUPS = { link: 'link_id', campaign: 'campaign_id', country: 'country', device: 'device', referrer: 'referrer_host' } as const;
export type ConversionGroup = keyof typeof CONVERSION_GROUPS;

/** One aggregate: per group value (or hour), type and currency. */
export interface ConversionSum {
  key: string | number | null;
  type: ConversionType;
  currency: string | null;
  count: number;
  amount: number;
}

/** A sale's idempotency key was stored by a concurrent request: run again, and its check finds that sale. */
export class RepeatedIdempotencyKey extends Error {
  constructor() {
    super('The idempotency key was taken by a concurrent sale.');
    this.name = 'RepeatedIdempotencyKey';
  }
}

const CLICK_COLUMNS = ['clicks.id', 'clicks.link_id', 'links.campaign_id', 'clicks.workspace_id', 'clicks.mode', 'clicks.created_at', 'clicks.country', 'clicks.device', 'clicks.referrer_host'];
const CHUNK = 200;

/** The SQL of conversion tracking: settings, clicks looked up by id, customers, conversions and their aggregates. */
export class ConversionStore {
  constructor(private readonly db: Knex) {}

  async settings(owner: LinkOwner, db: Knex = this.db): Promise<ConversionSettingsRow | undefined> {
    return db('conversion_settings').where({ workspace_id: owner.workspaceId, mode: owner.mode }).first();
  }

  async settingsByPublishableKey(key: string): Promise<ConversionSettingsRow | undefined> {
    return this.db('conversion_settings').where({ publishable_key: key }).first();
  }

  async saveSettings(trx: Knex, row: ConversionSettingsRow): Promise<void> {
    await trx('conversion_settings').insert(row).onConflict(['workspace_id', 'mode']).merge();
  }

  /** Clicks by id, with their link's campaign. */
  async clicks(ids: string[], db: Knex = this.db): Promise<Map<string, AttributableClick>> {
    const found = new Map<string, AttributableClick>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows: AttributableClick[] = await db('clicks').leftJoin('links', 'links.id', 'clicks.link_id').whereIn('clicks.id', ids.slice(i, i + CHUNK)).select(CLICK_COLUMNS);
      for (const row of rows) found.set(row.id, { ...row, campaign_id: row.campaign_id ?? null, created_at: Number(row.created_at) });
    }
    return found;
  }

  /** The owner's customers of `customerIds`, locked for this transaction (Postgres) so one customer's events do not interleave. */
  async customers(trx: Knex.Transaction, owner: LinkOwner, customerIds: string[]): Promise<Map<string, CustomerRow>> {
    const rows: CustomerRow[] = [];
    for (let i = 0; i < customerIds.length; i += CHUNK) {
      rows.push(...(await trx('conversion_customers').where({ workspace_id: owner.workspaceId, mode: owner.mode }).whereIn('customer_id', customerIds.slice(i, i + CHUNK)).forUpdate()));
    }
    return new Map(rows.map((row) => [row.customer_id, { ...row, clicked_at: row.clicked_at === null ? null : Number(row.clicked_at) }]));
  }

  async saveCustomers(trx: Knex, rows: CustomerRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) await trx('conversion_customers').insert(rows.slice(i, i + CHUNK)).onConflict(['workspace_id', 'mode', 'customer_id']).merge();
  }

  /** The owner's sales stored under any of `keys`. */
  async byIdempotencyKeys(trx: Knex, owner: LinkOwner, keys: string[]): Promise<Map<string, ConversionRow>> {
    const rows: ConversionRow[] = [];
    for (let i = 0; i < keys.length; i += CHUNK) {
      rows.push(...(await trx('conversions').where({ workspace_id: owner.workspaceId, mode: owner.mode }).whereIn('idempotency_key', keys.slice(i, i + CHUNK))));
    }
    return new Map(rows.map((row) => [row.idempotency_key as string, numeric(row)]));
  }

  /** Throws RepeatedIdempotencyKey when a concurrent sale took one of the keys first. */
  async insert(trx: Knex, rows: ConversionRow[]): Promise<void> {
    try {
      for (let i = 0; i < rows.length; i += CHUNK) await trx('conversions').insert(rows.slice(i, i + CHUNK));
    } catch (error) {
      throw isUniqueViolation(error) ? new RepeatedIdempotencyKey() : error;
    }
  }

  async find(owner: LinkOwner, id: string): Promise<ConversionRow | undefined> {
    return this.db('conversions').where({ id, workspace_id: owner.workspaceId, mode: owner.mode }).first();
  }

  private selected(owner: LinkOwner, selection: ConversionSelection, start: number, end: number): Knex.QueryBuilder {
    const query = this.db('conversions')
      .where({ 'conversions.workspace_id': owner.workspaceId, 'conversions.mode': owner.mode })
      .where('conversions.created_at', '>=', start)
      .where('conversions.created_at', '<', end);
    if (selection.linkId) query.where('conversions.link_id', selection.linkId);
    if (selection.campaignId) query.where('conversions.campaign_id', selection.campaignId);
    if (selection.domain) query.whereIn('conversions.link_id', this.db('links').where({ domain: selection.domain }).select('id'));
    return query;
  }

  /** Counts and amounts per hour (epoch ms of its start), type and currency. */
  async hourly(owner: LinkOwner, selection: ConversionSelection, start: number, end: number): Promise<ConversionSum[]> {
    const hour = '(conversions.created_at / 3600000) * 3600000';
    const rows: Array<Record<string, unknown>> = await this.selected(owner, selection, start, end)
      .groupByRaw(`${hour}, type, currency`)
      .select(this.db.raw(`${hour} AS key`), 'type', 'currency', this.db.raw('COUNT(*) AS count'), this.db.raw('COALESCE(SUM(amount), 0) AS amount'));
    return rows.map((row) => toSum(row, true));
  }

  /** Counts and amounts per value of a column, type and currency. */
  async grouped(owner: LinkOwner, selection: ConversionSelection, group: ConversionGroup, start: number, end: number): Promise<ConversionSum[]> {
    const column = CONVERSION_GROUPS[group];
    const rows: Array<Record<string, unknown>> = await this.selected(owner, selection, start, end)
      .groupBy(column, 'type', 'currency')
      .select(`${column} as key`, 'type', 'currency', this.db.raw('COUNT(*) AS count'), this.db.raw('COALESCE(SUM(amount), 0) AS amount'));
    return rows.map((row) => toSum(row, false));
  }

  /**
   * Clicks and uniques per campaign (links in it now) over the whole hours from `fromHour` to `end`, from the per-link
   * rollups; links in no campaign are left out.
   */
  async clicksByCampaign(owner: LinkOwner, fromHour: number, end: number, includeBots: boolean, domain?: string): Promise<Array<{ campaign_id: string; clicks: number; uniques: number }>> {
    const query = this.db('link_click_rollups as r')
      .join('links', 'links.id', 'r.link_id')
      .where({ 'r.workspace_id': owner.workspaceId, 'r.mode': owner.mode, 'r.dimension': 'all' })
      .where('r.bucket_start', '>=', fromHour)
      .where('r.bucket_start', '<', end)
      .whereNotNull('links.campaign_id');
    if (!includeBots) query.where('r.bot', 0);
    if (domain) query.where('links.domain', domain);
    const rows: Array<Record<string, unknown>> = await query.groupBy('links.campaign_id').select('links.campaign_id', this.db.raw('SUM(r.clicks) AS clicks'), this.db.raw('SUM(r.uniques) AS uniques'));
    return rows.map((row) => ({ campaign_id: String(row.campaign_id), clicks: Number(row.clicks), uniques: Number(row.uniques) }));
  }

  /** A page of conversions in [start, end), oldest first, after `after` (keyset on created_at, id). */
  async page(owner: LinkOwner, selection: ConversionSelection, start: number, end: number, after: { at: number; id: string } | null, limit: number): Promise<ConversionRow[]> {
    const query = this.selected(owner, selection, start, end);
    if (after) query.whereRaw('(conversions.created_at, conversions.id) > (?, ?)', [after.at, after.id]);
    const rows: ConversionRow[] = await query.orderBy([{ column: 'conversions.created_at' }, { column: 'conversions.id' }]).limit(limit).select('conversions.*');
    return rows.map(numeric);
  }
}

const toSum = (row: Record<string, unknown>, numericKey: boolean): ConversionSum => ({
  key: row.key === null || row.key === undefined ? null : numericKey ? Number(row.key) : String(row.key),
  type: row.type as ConversionType,
  currency: (row.currency as string | null) ?? null,
  count: Number(row.count),
  amount: Number(row.amount),
});

/** Postgres answers bigint columns as strings. */
export const numeric = (row: ConversionRow): ConversionRow => ({
  ...row,
  amount: row.amount === null ? null : Number(row.amount),
  clicked_at: row.clicked_at === null ? null : Number(row.clicked_at),
  created_at: Number(row.created_at),
});
