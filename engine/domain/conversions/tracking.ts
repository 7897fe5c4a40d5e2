import { createHash } from 'node:crypto';
import { RepeatedIdempotencyKey, type AttributableClick, type ConversionRow, type ConversionStore, type ConversionType } from '../../store/conversions';
import { parseJson } from '../../store/db';
import type { LinkOwner } from '../../store/links';
import type { TransactionRunner } from '../../store/transactions';
import { ApiError } from '../../support/errors';
import { newId } from '../../support/ids';
import { toIso, type Clock } from '../../support/time';
import type { Actor } from '../actor';
import type { Outbox } from '../outbox';
import type { ConversionSettings } from './settings';

const DAY_MS = 86_400_000;
/** A click id younger than this may still wait in a click buffer: the buffer is written before it is looked up again. */
const BUFFERED_CLICK_MS = 5 * 60_000;

export type UnattributedReason = 'no_click_id' | 'unknown_click_id' | 'click_outside_window';

export interface ConversionInput {
  click_id?: string | null;
  customer_id: string;
  event_name: string;
  metadata?: Record<string, unknown> | null;
}

export interface SaleInput extends ConversionInput {
  /** In the currency's minor units (cents). */
  amount: number;
  currency: string;
  idempotency_key: string;
}

export interface PublicConversion {
  id: string;
  type: ConversionType;
  event_name: string;
  customer_id: string;
  attributed: boolean;
  unattributed_reason: UnattributedReason | null;
  click_id: string | null;
  link_id: string | null;
  campaign_id: string | null;
  lead_id: string | null;
  clicked_at: string | null;
  country: string | null;
  device: string | null;
  amount: number | null;
  currency: string | null;
  idempotency_key: string | null;
  metadata: Record<string, unknown> | null;
  created_at: string;
}

export const serializeConversion = (row: ConversionRow): PublicConversion => ({
  id: row.id,
  type: row.type,
  event_name: row.event_name,
  customer_id: row.customer_id,
  attributed: row.link_id !== null,
  unattributed_reason: (row.unattributed_reason as UnattributedReason | null) ?? null,
  click_id: row.click_id,
  link_id: row.link_id,
  campaign_id: row.campaign_id,
  lead_id: row.lead_id,
  clicked_at: toIso(row.clicked_at),
  country: row.country,
  device: row.device,
  amount: row.amount === null ? null : Number(row.amount),
  currency: row.currency,
  idempotency_key: row.idempotency_key,
  metadata: parseJson<Record<string, unknown> | null>(row.metadata, null),
  created_at: toIso(Number(row.created_at)) as string,
});

/** The time an id of ours was minted (its first 10 characters after the prefix), or null. */
function mintedAt(id: string): number | null {
  const time = id.slice(id.indexOf('_') + 1, id.indexOf('_') + 11);
  let ms = 0;
  for (const char of time) {
    const digit = '0123456789abcdefghjkmnpqrstvwxyz'.indexOf(char);
    if (digit < 0) return null;
    ms = ms * 32 + digit;
  }
  return ms;
}

/**
 * Leads and sales reported against click ids. Attribution is last click within the window: the reported click, or
 * the customer's last click when it is newer (or when none is reported), so a lead and a later sale of the same
 * customer are tied to the same click and the sale to the lead. A click id that is unknown or too old is accepted and
 * recorded unattributed, saying why. A sale's idempotency key is counted once: a repeat answers the first sale.
 */
export class ConversionTracker {
  constructor(
    private readonly store: ConversionStore,
    private readonly settings: ConversionSettings,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    /** Writes the clicks this process still buffers. */
    private readonly flushClicks: () => Promise<void>,
  ) {}

  lead(actor: Actor, input: ConversionInput): Promise<{ conversion: PublicConversion; duplicate: boolean }> {
    return this.record(actor, 'lead', input);
  }

  sale(actor: Actor, input: SaleInput): Promise<{ conversion: PublicConversion; duplicate: boolean }> {
    return this.record(actor, 'sale', input);
  }

  /** A click of the owner by id; one still buffered in this process is written first. */
  private async clickOf(owner: LinkOwner, id: string, now: number): Promise<AttributableClick | null> {
    let click = await this.store.click(id);
    const minted = mintedAt(id);
    if (!click && minted !== null && Math.abs(now - minted) < BUFFERED_CLICK_MS) {
      await this.flushClicks();
      click = await this.store.click(id);
    }
    return click && click.workspace_id === owner.workspaceId && click.mode === owner.mode ? click : null;
  }

  private async record(actor: Actor, type: ConversionType, input: ConversionInput | SaleInput): Promise<{ conversion: PublicConversion; duplicate: boolean }> {
    try {
      return await this.recordOnce(actor, type, input);
    } catch (error) {
      if (!(error instanceof RepeatedIdempotencyKey)) throw error;
      return this.recordOnce(actor, type, input);
    }
  }

  private async recordOnce(actor: Actor, type: ConversionType, input: ConversionInput | SaleInput): Promise<{ conversion: PublicConversion; duplicate: boolean }> {
    const now = this.clock.now();
    const at = now.getTime();
    const { attribution_window_days: windowDays } = await this.settings.get(actor);
    const windowStart = at - windowDays * DAY_MS;
    const reported = input.click_id ? await this.clickOf(actor, input.click_id, at) : null;
    const sale = type === 'sale' ? (input as SaleInput) : null;
    const requestHash = sale ? createHash('sha256').update(JSON.stringify([input.customer_id, input.event_name, sale.amount, sale.currency, input.click_id ?? null])).digest('hex') : null;

    const outcome = await this.transactions.run(async (trx) => {
      if (sale) {
        const first = await this.store.byIdempotencyKey(trx, actor, sale.idempotency_key);
        if (first) {
          if (first.request_hash !== requestHash) {
            throw new ApiError('conflict', 'This idempotency_key was already used for a different sale.', [{ field: 'idempotency_key', message: `Already used by ${first.id}` }]);
          }
          return { row: first, duplicate: true };
        }
      }
      const customer = await this.store.customer(trx, actor, input.customer_id);
      const candidates: Array<{ id: string; at: number }> = [];
      if (reported && reported.created_at >= windowStart) candidates.push({ id: reported.id, at: reported.created_at });
      if (customer?.click_id && customer.clicked_at !== null && Number(customer.clicked_at) >= windowStart) candidates.push({ id: customer.click_id, at: Number(customer.clicked_at) });
      const chosen = candidates.sort((a, b) => b.at - a.at)[0];
      const click = chosen ? (chosen.id === reported?.id ? reported : await this.store.click(chosen.id, trx)) : null;
      let reason: UnattributedReason | null = null;
      if (!click) reason = !input.click_id ? 'no_click_id' : reported ? 'click_outside_window' : 'unknown_click_id';
      const row: ConversionRow = {
        id: newId('conv', at),
        workspace_id: actor.workspaceId,
        mode: actor.mode,
        type,
        event_name: input.event_name,
        customer_id: input.customer_id,
        click_id: click?.id ?? input.click_id ?? null,
        link_id: click?.link_id ?? null,
        campaign_id: click ? await this.store.campaignOf(trx, click.link_id) : null,
        lead_id: type === 'sale' ? (customer?.lead_id ?? null) : null,
        clicked_at: click?.created_at ?? null,
        country: click?.country ?? null,
        device: click?.device ?? null,
        referrer_host: click?.referrer_host ?? null,
        amount: sale?.amount ?? null,
        currency: sale?.currency ?? null,
        idempotency_key: sale?.idempotency_key ?? null,
        request_hash: requestHash,
        unattributed_reason: reason,
        metadata: input.metadata ? JSON.stringify(input.metadata) : null,
        created_at: at,
      };
      await this.store.insert(trx, row);
      const newer = click && (customer?.clicked_at === null || customer?.clicked_at === undefined || click.created_at >= Number(customer.clicked_at));
      await this.store.saveCustomer(trx, {
        workspace_id: actor.workspaceId,
        mode: actor.mode,
        customer_id: input.customer_id,
        click_id: newer ? click.id : (customer?.click_id ?? null),
        clicked_at: newer ? click.created_at : (customer?.clicked_at ?? null),
        lead_id: type === 'lead' ? row.id : (customer?.lead_id ?? null),
        updated_at: at,
      });
      await this.outbox.enqueue(trx, [{ workspaceId: actor.workspaceId, mode: actor.mode, type: `${type}.recorded`, data: { ...serializeConversion(row) } }], now);
      return { row, duplicate: false };
    });
    return { conversion: serializeConversion(outcome.row), duplicate: outcome.duplicate };
  }
}
