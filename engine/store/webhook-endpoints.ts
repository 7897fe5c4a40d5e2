import type { Knex } from 'knex';
import type { LinkOwner, Mode } from './links';

export const DISABLED_REASONS = ['manual', 'endpoint_gone', 'failing'] as const;
export type DisabledReason = (typeof DISABLED_REASONS)[number];

/** A row of `webhook_endpoints`. Times are epoch milliseconds; `events` is a JSON array. */
export interface EndpointRow {
  id: string;
  workspace_id: string;
  mode: Mode;
  url: string;
  description: string | null;
  events: string;
  enabled: boolean | number;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  disabled_reason: DisabledReason | null;
  disabled_at: number | null;
  failing_since: number | null;
  created_at: number;
  updated_at: number;
}

const ownerFilter = (owner: LinkOwner) => ({ workspace_id: owner.workspaceId, mode: owner.mode });

/** The SQL of webhook endpoints. Methods that take `trx` run inside the caller's transaction. */
export class WebhookEndpointStore {
  constructor(private readonly db: Knex) {}

  listQuery(owner: LinkOwner, enabled?: boolean): Knex.QueryBuilder {
    const query = this.db('webhook_endpoints').where(ownerFilter(owner));
    return enabled === undefined ? query : query.andWhere('enabled', enabled);
  }

  /** With `forUpdate`, locked for update (in `db`, a transaction). */
  async find(owner: LinkOwner, id: string, db: Knex = this.db, forUpdate = false): Promise<EndpointRow | undefined> {
    const query = db<EndpointRow>('webhook_endpoints').where({ id, ...ownerFilter(owner) });
    return (forUpdate ? query.forUpdate() : query).first() as Promise<EndpointRow | undefined>;
  }

  async count(trx: Knex, owner: LinkOwner): Promise<number> {
    const [{ n }] = await trx('webhook_endpoints').where(ownerFilter(owner)).count({ n: '*' });
    return Number(n);
  }

  async insert(trx: Knex, row: EndpointRow): Promise<void> {
    await trx('webhook_endpoints').insert(row);
  }

  async update(trx: Knex, id: string, changes: Partial<EndpointRow>): Promise<void> {
    await trx('webhook_endpoints').where({ id }).update(changes);
  }

  async delete(trx: Knex, id: string): Promise<void> {
    await trx('webhook_endpoints').where({ id }).delete();
  }

  /** Disables the endpoint if it is enabled; false when it was not. */
  async disableIfEnabled(trx: Knex, id: string, reason: DisabledReason, at: number): Promise<boolean> {
    const updated = await trx('webhook_endpoints').where({ id, enabled: true }).update({ enabled: false, disabled_reason: reason, disabled_at: at, updated_at: at });
    return updated === 1;
  }

  /** Marks the start of a failure run, unless one is running. */
  async markFailing(id: string, at: number): Promise<void> {
    await this.db('webhook_endpoints').where({ id }).whereNull('failing_since').update({ failing_since: at });
  }

  async markHealthy(id: string): Promise<void> {
    await this.db('webhook_endpoints').where({ id }).whereNotNull('failing_since').update({ failing_since: null });
  }
}
