import { createHash } from 'node:crypto';
import { RepeatedIdempotencyKey, type AttributableClick, type ConversionRow, type ConversionStore, type ConversionType, type CustomerRow } from '../../store/conversions';
import { parseJson } from '../../store/db';
import type { LinkOwner } from '../../store/links';
import type { TransactionRunner } from '../../store/transactions';
import { ApiError } from '../../support/errors';
import { newId } from '../../support/ids';
import { toIso, type Clock } from '../../support/time';
import type { Actor } from '../actor';
import type { Outbox, OutboxEvent } from '../outbox';
import type { ConversionSettings } from './settings';

const DAY_MS = 86_400_000;
/** Events written in one transaction at most. */
const MAX_BATCH = 200;

type Outcome = { conversion: PublicConversion; duplicate: boolean };

interface Job {
  actor: Actor;
  type: ConversionType;
  input: ConversionInput | SaleInput;
  resolve(outcome: Outcome): void;
  reject(error: unknown): void;
}

/** A click id younger than this may still wait in a click buffer: the buffer is written before it is looked up again. */
const BUFFERED_CLICK_MS = 5 * 60_000;
/** A click this young that is still unknown after the local flush gets one more look after a short wait. */
const OTHER_PROCESS_WINDOW_MS = 10_000;
const OTHER_PROCESS_WAIT_MS = 300;

export type UnattributedReason = 'no_click_id' | 'unknown_click_id' | 'click_outside_window';

interface Prepared {
  job: Job;
  now: Date;
  at: number;
  windowStart: number;
  sale: SaleInput | null;
  /** Leads may carry one too; a sale always does. */
  idempotencyKey: string | null;
  requestHash: string | null;
}

export interface ConversionInput {
  click_id?: string | null;
  customer_id: string;
  event_name: string;
  metadata?: Record<string, unknown> | null;
  idempotency_key?: string | null;
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

const ownerKey = (owner: LinkOwner) => `${owner.workspaceId}:${owner.mode}`;

/** What one batch has read and written so far, so later events of the batch see earlier ones. */
interface BatchState {
  clicks: Map<string, AttributableClick>;
  /** By owner key and customer id. */
  customers: Map<string, CustomerRow>;
  /** Events by owner key and idempotency key. */
  keyed: Map<string, ConversionRow>;
  /** Customers this batch changed. */
  touched: Set<string>;
  rows: ConversionRow[];
  events: OutboxEvent[];
}

/**
 * Leads and sales reported against click ids. Attribution is last click within the window: the reported click, or
 * the customer's last click when it is newer (or when none is reported), so a lead and a later sale of the same
 * customer are tied to the same click and the sale to the lead. A click id that is unknown or too old is accepted and
 * recorded unattributed, saying why. An idempotency key (required on sales, optional on leads) is counted once: a
 * repeat answers the first event.
 * Events that arrive together are written in one transaction (a group commit), in the order they arrived, with a few
 * reads and writes for the whole batch.
 */
export class ConversionTracker {
  private readonly queue: Job[] = [];
  private draining = false;

  constructor(
    private readonly store: ConversionStore,
    private readonly settings: ConversionSettings,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    /** Writes the clicks this process still buffers. */
    private readonly flushClicks: () => Promise<void>,
  ) {}

  lead(actor: Actor, input: ConversionInput): Promise<Outcome> {
    return this.record(actor, 'lead', input);
  }

  sale(actor: Actor, input: SaleInput): Promise<Outcome> {
    return this.record(actor, 'sale', input);
  }

  private record(actor: Actor, type: ConversionType, input: ConversionInput | SaleInput): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ actor, type, input, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  /** Writes queued events batch by batch until none is left; a failed batch fails its own events only. */
  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const prepared: Prepared[] = [];
      for (const job of this.queue.splice(0, MAX_BATCH)) {
        try {
          prepared.push(await this.prepare(job));
        } catch (error) {
          job.reject(error);
        }
      }
      if (prepared.length === 0) continue;
      try {
        const clicks = await this.reportedClicks(prepared);
        await this.writeBatch(prepared, clicks).catch((error: unknown) => {
          // A concurrent process stored one of these sales' keys first: written again, the check finds it.
          if (error instanceof RepeatedIdempotencyKey) return this.writeBatch(prepared, clicks);
          throw error;
        });
      } catch (error) {
        for (const { job } of prepared) job.reject(error);
      }
    }
    this.draining = false;
  }

  private async prepare(job: Job): Promise<Prepared> {
    const { actor, type, input } = job;
    const now = this.clock.now();
    const at = now.getTime();
    const { attribution_window_days: windowDays } = await this.settings.get(actor);
    const sale = type === 'sale' ? (input as SaleInput) : null;
    const idempotencyKey = input.idempotency_key ?? null;
    const requestHash = idempotencyKey
      ? createHash('sha256').update(JSON.stringify([type, input.customer_id, input.event_name, sale?.amount ?? null, sale?.currency ?? null, input.click_id ?? null])).digest('hex')
      : null;
    return { job, now, at, windowStart: at - windowDays * DAY_MS, sale, idempotencyKey, requestHash };
  }

  /** The reported clicks, read before the transaction; recent ones still buffered in this process are written first. */
  private async reportedClicks(batch: Prepared[]): Promise<Map<string, AttributableClick>> {
    const ids = [...new Set(batch.flatMap(({ job }) => (job.input.click_id ? [job.input.click_id] : [])))];
    const clicks = await this.store.clicks(ids);
    const now = this.clock.now().getTime();
    const buffered = ids.filter((id) => !clicks.has(id) && Math.abs(now - (mintedAt(id) ?? 0)) < BUFFERED_CLICK_MS);
    if (buffered.length) {
      await this.flushClicks();
      for (const [id, click] of await this.store.clicks(buffered)) clicks.set(id, click);
    }
    // Minted seconds ago by another process, whose buffer this one cannot flush: its flush is due within moments.
    const elsewhere = buffered.filter((id) => !clicks.has(id) && Math.abs(now - (mintedAt(id) ?? 0)) < OTHER_PROCESS_WINDOW_MS);
    if (elsewhere.length) {
      await new Promise((resolve) => setTimeout(resolve, OTHER_PROCESS_WAIT_MS));
      for (const [id, click] of await this.store.clicks(elsewhere)) clicks.set(id, click);
    }
    return clicks;
  }

  private async writeBatch(batch: Prepared[], reported: Map<string, AttributableClick>): Promise<void> {
    const outcomes = await this.transactions.run(async (trx) => {
      const state: BatchState = { clicks: new Map(reported), customers: new Map(), keyed: new Map(), touched: new Set(), rows: [], events: [] };
      const owners = new Map<string, { owner: LinkOwner; customers: Set<string>; keys: Set<string> }>();
      for (const { job, idempotencyKey } of batch) {
        const key = ownerKey(job.actor);
        const entry = owners.get(key) ?? { owner: { workspaceId: job.actor.workspaceId, mode: job.actor.mode }, customers: new Set<string>(), keys: new Set<string>() };
        entry.customers.add(job.input.customer_id);
        if (idempotencyKey) entry.keys.add(idempotencyKey);
        owners.set(key, entry);
      }
      for (const [key, { owner, customers, keys }] of owners) {
        for (const [id, customer] of await this.store.customers(trx, owner, [...customers])) state.customers.set(`${key}:${id}`, customer);
        for (const [id, sale] of await this.store.byIdempotencyKeys(trx, owner, [...keys])) state.keyed.set(`${key}:${id}`, sale);
      }
      const missing = [...new Set([...state.customers.values()].flatMap((customer) => (customer.click_id && !state.clicks.has(customer.click_id) ? [customer.click_id] : [])))];
      for (const [id, click] of await this.store.clicks(missing, trx)) state.clicks.set(id, click);

      const results = batch.map((prepared) => {
        try {
          return this.apply(state, prepared);
        } catch (error) {
          if (error instanceof ApiError) return error;
          throw error;
        }
      });
      await this.store.insert(trx, state.rows);
      await this.store.saveCustomers(trx, [...state.touched].map((key) => state.customers.get(key) as CustomerRow));
      if (state.events.length) await this.outbox.enqueue(trx, state.events, batch[batch.length - 1].now);
      return results;
    });
    outcomes.forEach((outcome, i) => (outcome instanceof ApiError ? batch[i].job.reject(outcome) : batch[i].job.resolve(outcome)));
  }

  /** Attributes one event with what the batch knows, and adds its rows to the batch's writes. */
  private apply(state: BatchState, prepared: Prepared): Outcome {
    const { job, at, windowStart, sale, idempotencyKey, requestHash } = prepared;
    const { actor, type, input } = job;
    const key = ownerKey(actor);
    if (idempotencyKey) {
      const first = state.keyed.get(`${key}:${idempotencyKey}`);
      if (first) {
        if (first.request_hash !== requestHash) {
          throw new ApiError('conflict', `This idempotency_key was already used for a different ${first.type}.`, [{ field: 'idempotency_key', message: `Already used by ${first.id}` }]);
        }
        return { conversion: serializeConversion(first), duplicate: true };
      }
    }
    const found = input.click_id ? state.clicks.get(input.click_id) : undefined;
    const reported = found && found.workspace_id === actor.workspaceId && found.mode === actor.mode ? found : null;
    const customer = state.customers.get(`${key}:${input.customer_id}`);
    const own = customer?.click_id ? state.clicks.get(customer.click_id) : undefined;
    const candidates = [reported, own && customer?.clicked_at !== null ? own : null].filter((click): click is AttributableClick => click !== null && click !== undefined && click.created_at >= windowStart);
    const click = candidates.sort((a, b) => b.created_at - a.created_at)[0] ?? null;
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
      campaign_id: click?.campaign_id ?? null,
      lead_id: type === 'sale' ? (customer?.lead_id ?? null) : null,
      clicked_at: click?.created_at ?? null,
      country: click?.country ?? null,
      device: click?.device ?? null,
      referrer_host: click?.referrer_host ?? null,
      amount: sale?.amount ?? null,
      currency: sale?.currency ?? null,
      idempotency_key: idempotencyKey,
      request_hash: requestHash,
      unattributed_reason: reason,
      metadata: input.metadata ? JSON.stringify(input.metadata) : null,
      created_at: at,
    };
    state.rows.push(row);
    if (idempotencyKey) state.keyed.set(`${key}:${idempotencyKey}`, row);
    const newer = click !== null && (customer?.clicked_at === null || customer?.clicked_at === undefined || click.created_at >= customer.clicked_at);
    state.touched.add(`${key}:${input.customer_id}`);
    state.customers.set(`${key}:${input.customer_id}`, {
      workspace_id: actor.workspaceId,
      mode: actor.mode,
      customer_id: input.customer_id,
      click_id: newer ? click.id : (customer?.click_id ?? null),
      clicked_at: newer ? click.created_at : (customer?.clicked_at ?? null),
      lead_id: type === 'lead' ? row.id : (customer?.lead_id ?? null),
      updated_at: at,
    });
    const conversion = serializeConversion(row);
    state.events.push({ workspaceId: actor.workspaceId, mode: actor.mode, type: `${type}.recorded`, data: { ...conversion } });
    return { conversion, duplicate: false };
  }
}
