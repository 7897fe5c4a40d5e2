import type { Knex } from 'knex';
import type { Mode } from './links';
import { dialectOf } from './db';
import { newId } from '../support/ids';

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const DELIVERY_TRIGGERS = ['event', 'replay', 'test'] as const;
export type DeliveryTrigger = (typeof DELIVERY_TRIGGERS)[number];

export interface DeliveryRow {
  id: string;
  workspace_id: string;
  mode: Mode;
  endpoint_id: string;
  message_id: string;
  event_type: string;
  attempt: number;
  trigger: DeliveryTrigger;
  replay_of: string | null;
  status: DeliveryStatus;
  available_at: number;
  scheduled_at: number;
  attempted_at: number | null;
  duration_ms: number | null;
  status_code: number | null;
  response_body: string | null;
  error: string | null;
  next_attempt_at: number | null;
  created_at: number;
}

/** What a dispatcher needs to know to queue a delivery: its id and when it may run. */
export interface DueDelivery {
  id: string;
  availableAt: number;
}

/** The endpoint as it is when the delivery is claimed, so URL changes, rotations and disables apply at once. */
export interface EndpointSnapshot {
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  enabled: boolean | number;
  failing_since: number | null;
}

/** A delivery this worker holds until `lease`; its outcome is only recorded while that lease is still its own. */
export interface ClaimedDelivery extends Pick<DeliveryRow, 'id' | 'workspace_id' | 'mode' | 'endpoint_id' | 'message_id' | 'event_type' | 'attempt' | 'trigger'> {
  lease: number;
  payload: string | null;
  endpoint: EndpointSnapshot | null;
}

/** The result of one attempt, as recorded on its row. */
export interface AttemptRecord {
  status: 'succeeded' | 'failed';
  attemptedAt: number;
  durationMs: number | null;
  statusCode: number | null;
  responseBody: string | null;
  error: string | null;
  nextAttemptAt: number | null;
}

const ENDPOINT_FIELDS: Array<keyof EndpointSnapshot> = ['url', 'secret', 'previous_secret', 'previous_secret_expires_at', 'enabled', 'failing_since'];

// Claim and load in one round trip: the payload and the endpoint come back as scalar subqueries of RETURNING, which
// both Postgres and SQLite allow.
const RETURNING = [
  'id',
  'workspace_id',
  'mode',
  'endpoint_id',
  'message_id',
  'event_type',
  'attempt',
  '"trigger"',
  'available_at',
  '(SELECT payload FROM events WHERE events.id = webhook_deliveries.message_id) AS payload',
  ...ENDPOINT_FIELDS.map((field) => `(SELECT ${field} FROM webhook_endpoints WHERE webhook_endpoints.id = webhook_deliveries.endpoint_id) AS endpoint_${field}`),
].join(', ');

const rowsOf = (result: unknown): Record<string, unknown>[] =>
  (Array.isArray(result) ? result : (result as { rows: Record<string, unknown>[] }).rows) ?? [];

function toClaimed(row: Record<string, unknown>): ClaimedDelivery {
  const endpoint = row.endpoint_url === null || row.endpoint_url === undefined
    ? null
    : (Object.fromEntries(ENDPOINT_FIELDS.map((field) => [field, row[`endpoint_${field}`]])) as unknown as EndpointSnapshot);
  return {
    id: row.id as string,
    workspace_id: row.workspace_id as string,
    mode: row.mode as Mode,
    endpoint_id: row.endpoint_id as string,
    message_id: row.message_id as string,
    event_type: row.event_type as string,
    attempt: Number(row.attempt),
    trigger: row.trigger as DeliveryTrigger,
    lease: Number(row.available_at),
    payload: (row.payload as string | null) ?? null,
    endpoint,
  };
}

export interface NewDelivery {
  workspaceId: string;
  mode: Mode;
  endpointId: string;
  messageId: string;
  eventType: string;
  attempt: number;
  trigger: DeliveryTrigger;
  replayOf?: string | null;
  scheduledAt: number;
}

/** Every SQL statement about delivery rows. The database is the source of truth; queues only carry ids. */
export class DeliveryStore {
  constructor(private readonly db: Knex) {}

  async insert(trx: Knex | Knex.Transaction, deliveries: NewDelivery[], now: number): Promise<DueDelivery[]> {
    const rows = deliveries.map((d) => ({
      id: newId('dlv', now),
      workspace_id: d.workspaceId,
      mode: d.mode,
      endpoint_id: d.endpointId,
      message_id: d.messageId,
      event_type: d.eventType,
      attempt: d.attempt,
      trigger: d.trigger,
      replay_of: d.replayOf ?? null,
      status: 'pending',
      available_at: d.scheduledAt,
      scheduled_at: d.scheduledAt,
      created_at: now,
    }));
    for (let i = 0; i < rows.length; i += 500) await trx('webhook_deliveries').insert(rows.slice(i, i + 500));
    return rows.map((row) => ({ id: row.id, availableAt: row.available_at }));
  }

  /** Claims those of `ids` that are due: not done, not held by a live lease. */
  async claim(ids: string[], now: number, lease: number): Promise<ClaimedDelivery[]> {
    if (ids.length === 0) return [];
    const result = await this.db.raw(
      `UPDATE webhook_deliveries SET available_at = ? WHERE id IN (${ids.map(() => '?').join(', ')}) AND status = 'pending' AND available_at <= ? RETURNING ${RETURNING}`,
      [lease, ...ids, now],
    );
    return rowsOf(result).map(toClaimed);
  }

  /** Those of `ids` that have no row (yet: the transaction that writes them may not have committed). */
  async missing(ids: string[]): Promise<string[]> {
    const found = new Set((await this.db('webhook_deliveries').select('id').whereIn('id', ids)).map((row: { id: string }) => row.id));
    return ids.filter((id) => !found.has(id));
  }

  /** Claims up to `limit` due deliveries, oldest first. On Postgres concurrent claimers skip each other's rows. */
  async claimDue(limit: number, now: number, lease: number): Promise<ClaimedDelivery[]> {
    // Idle polls stay reads: an UPDATE, even one that matches nothing, takes SQLite's write lock.
    const due = await this.db('webhook_deliveries').select('id').where('status', 'pending').andWhere('available_at', '<=', now).first();
    if (!due) return [];
    const skipLocked = dialectOf(this.db) === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const result = await this.db.raw(
      `UPDATE webhook_deliveries SET available_at = ? WHERE id IN (
         SELECT id FROM webhook_deliveries WHERE status = 'pending' AND available_at <= ? ORDER BY available_at LIMIT ? ${skipLocked}
       ) RETURNING ${RETURNING}`,
      [lease, now, limit],
    );
    return rowsOf(result).map(toClaimed);
  }

  /**
   * Pending deliveries that should have run by `before`: what a queue may have lost. Oldest first; `after` (the last
   * row of the previous page) pages through them.
   */
  async overdue(before: number, limit: number, after?: DueDelivery): Promise<DueDelivery[]> {
    const query = this.db('webhook_deliveries')
      .select('id', 'available_at')
      .where('status', 'pending')
      .andWhere('available_at', '<=', before);
    if (after) query.andWhere((q) => q.where('available_at', '>', after.availableAt).orWhere((same) => same.where('available_at', after.availableAt).andWhere('id', '>', after.id)));
    const rows = await query.orderBy([{ column: 'available_at' }, { column: 'id' }]).limit(limit);
    return rows.map((row: { id: string; available_at: number }) => ({ id: row.id, availableAt: Number(row.available_at) }));
  }

  /**
   * Of `ids`, the pending ones held under a lease that ends after `now` (another worker's attempt in flight, or a dead
   * worker's claim that has not expired yet), with the lease's end.
   */
  async held(ids: string[], now: number): Promise<DueDelivery[]> {
    const rows = await this.db('webhook_deliveries').select('id', 'available_at').whereIn('id', ids).andWhere('status', 'pending').andWhere('available_at', '>', now);
    return rows.map((row: { id: string; available_at: number }) => ({ id: row.id, availableAt: Number(row.available_at) }));
  }

  /**
   * Extends the leases of deliveries whose attempts are still running to `lease`, each only while its current lease
   * is still the one given; answers the ids renewed.
   */
  async renew(held: Array<{ id: string; lease: number }>, lease: number): Promise<Set<string>> {
    const renewed = new Set<string>();
    for (let i = 0; i < held.length; i += 400) {
      const chunk = held.slice(i, i + 400);
      const result = await this.db.raw(
        `UPDATE webhook_deliveries SET available_at = CAST(? AS BIGINT)
         FROM (VALUES ${chunk.map(() => '(?, CAST(? AS BIGINT))').join(', ')}) AS v
         WHERE webhook_deliveries.id = v.column1 AND webhook_deliveries.status = 'pending' AND webhook_deliveries.available_at = v.column2
         RETURNING webhook_deliveries.id`,
        [lease, ...chunk.flatMap((item) => [item.id, item.lease])],
      );
      for (const row of rowsOf(result)) renewed.add(row.id as string);
    }
    return renewed;
  }

  /** Records an attempt if `lease` is still this worker's; false when another worker has taken the delivery over. */
  async record(trx: Knex | Knex.Transaction, claimed: ClaimedDelivery, outcome: AttemptRecord): Promise<boolean> {
    const updated = await trx('webhook_deliveries')
      .where({ id: claimed.id, status: 'pending', available_at: claimed.lease })
      .update({
        status: outcome.status,
        attempted_at: outcome.attemptedAt,
        duration_ms: outcome.durationMs,
        status_code: outcome.statusCode,
        response_body: outcome.responseBody,
        error: outcome.error,
        next_attempt_at: outcome.nextAttemptAt,
      });
    return updated === 1;
  }

  /**
   * Records many final outcomes (no next attempt) in one statement, each only while its lease is still the
   * recorder's; answers the ids that were recorded.
   */
  async recordFinal(items: Array<{ claimed: ClaimedDelivery; outcome: AttemptRecord }>): Promise<Set<string>> {
    const values = items.map(() => '(?, CAST(? AS BIGINT), ?, CAST(? AS BIGINT), CAST(? AS INTEGER), CAST(? AS INTEGER), ?, ?)').join(', ');
    const bindings = items.flatMap(({ claimed, outcome }) => [
      claimed.id,
      claimed.lease,
      outcome.status,
      outcome.attemptedAt,
      outcome.durationMs,
      outcome.statusCode,
      outcome.responseBody,
      outcome.error,
    ]);
    const result = await this.db.raw(
      `UPDATE webhook_deliveries SET status = v.column3, attempted_at = v.column4, duration_ms = v.column5, status_code = v.column6,
         response_body = v.column7, error = v.column8, next_attempt_at = NULL
       FROM (VALUES ${values}) AS v
       WHERE webhook_deliveries.id = v.column1 AND webhook_deliveries.status = 'pending' AND webhook_deliveries.available_at = v.column2
       RETURNING webhook_deliveries.id`,
      bindings,
    );
    return new Set(rowsOf(result).map((row) => row.id as string));
  }

  /** The attempts of one endpoint, as a query for the paginator. */
  listQuery(
    owner: { workspaceId: string; mode: Mode },
    endpointId: string,
    filters: { status?: DeliveryStatus; messageId?: string; eventType?: string; createdAfter?: number; createdBefore?: number },
  ): Knex.QueryBuilder {
    const query = this.db('webhook_deliveries').where({ endpoint_id: endpointId, workspace_id: owner.workspaceId, mode: owner.mode });
    if (filters.status) query.andWhere('status', filters.status);
    if (filters.messageId) query.andWhere('message_id', filters.messageId);
    if (filters.eventType) query.andWhere('event_type', filters.eventType);
    if (filters.createdAfter !== undefined) query.andWhere('created_at', '>=', filters.createdAfter);
    if (filters.createdBefore !== undefined) query.andWhere('created_at', '<', filters.createdBefore);
    return query;
  }

  /** One delivery of an endpoint, or undefined. */
  async find(endpointId: string, deliveryId: string, trx: Knex | Knex.Transaction = this.db): Promise<DeliveryRow | undefined> {
    return trx<DeliveryRow>('webhook_deliveries').where({ id: deliveryId, endpoint_id: endpointId }).first();
  }

  /** A delivery by id. */
  async read(trx: Knex | Knex.Transaction, id: string): Promise<DeliveryRow> {
    return (await trx<DeliveryRow>('webhook_deliveries').where({ id }).first()) as DeliveryRow;
  }

  /** The stored body of a message (undefined once retention has deleted it). */
  async payloadOf(messageId: string): Promise<string | undefined> {
    const event = await this.db('events').select('payload').where({ id: messageId }).first();
    return event?.payload as string | undefined;
  }

  /** Fails every pending delivery of an endpoint (it was disabled); they can be replayed once it is enabled again. */
  async failPending(trx: Knex | Knex.Transaction, endpointId: string, error: string, at: number): Promise<number> {
    return trx('webhook_deliveries')
      .where({ endpoint_id: endpointId, status: 'pending' })
      .update({ status: 'failed', error, attempted_at: null, next_attempt_at: null, available_at: at });
  }
}
