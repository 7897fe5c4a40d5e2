import type { Knex } from 'knex';
import { isSealed, type SecretBox } from '../support/secret-box';
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

const SECRET_FIELDS = ['secret', 'previous_secret'] as const;
const SEAL_BATCH = 200;

/**
 * The SQL of webhook endpoints. Methods that take `trx` run inside the caller's transaction. Signing secrets are
 * sealed here (`box`) on the way in and opened on the way out: the rows hold only `enc:v1:…` values.
 */
export class WebhookEndpointStore {
  constructor(
    private readonly db: Knex,
    private readonly box: SecretBox,
  ) {}

  /** A stored secret in the clear (plaintext from before sealing passes through). */
  open(value: string): string;
  open(value: string | null): string | null;
  open(value: string | null): string | null {
    return value === null ? null : this.box.open(value);
  }

  private sealed<T extends Partial<EndpointRow>>(row: T): T {
    const out = { ...row };
    for (const field of SECRET_FIELDS) {
      const value = out[field];
      if (typeof value === 'string' && !isSealed(value)) (out as Partial<EndpointRow>)[field] = this.box.seal(value);
    }
    return out;
  }

  private opened(row: EndpointRow | undefined): EndpointRow | undefined {
    return row && { ...row, secret: this.open(row.secret), previous_secret: this.open(row.previous_secret) };
  }

  listQuery(owner: LinkOwner, enabled?: boolean): Knex.QueryBuilder {
    const query = this.db('webhook_endpoints').where(ownerFilter(owner));
    return enabled === undefined ? query : query.andWhere('enabled', enabled);
  }

  /** With `forUpdate`, locked for update (in `db`, a transaction). */
  async find(owner: LinkOwner, id: string, db: Knex = this.db, forUpdate = false): Promise<EndpointRow | undefined> {
    const query = db<EndpointRow>('webhook_endpoints').where({ id, ...ownerFilter(owner) });
    return this.opened((await (forUpdate ? query.forUpdate() : query).first()) as EndpointRow | undefined);
  }

  async count(trx: Knex, owner: LinkOwner): Promise<number> {
    const [{ n }] = await trx('webhook_endpoints').where(ownerFilter(owner)).count({ n: '*' });
    return Number(n);
  }

  async insert(trx: Knex, row: EndpointRow): Promise<void> {
    await trx('webhook_endpoints').insert(this.sealed(row));
  }

  async update(trx: Knex, id: string, changes: Partial<EndpointRow>): Promise<void> {
    await trx('webhook_endpoints').where({ id }).update(this.sealed(changes));
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

  /**
   * Seals every secret still in plaintext (rows from before sealing) or sealed under a key other than the current
   * one (a rotation), in batches of `batchSize`; idempotent, and a row changed meanwhile is left to its writer.
   * Throws SecretBoxError for a value under a key this engine does not have. Answers how many rows it re-sealed.
   */
  async sealStoredSecrets(batchSize = SEAL_BATCH): Promise<number> {
    const current = `enc:v1:${this.box.currentKeyId}:%`;
    let after = '';
    let sealed = 0;
    for (;;) {
      const rows = (await this.db('webhook_endpoints')
        .select('id', 'secret', 'previous_secret')
        .where('id', '>', after)
        .andWhere((q) => q.whereNot('secret', 'like', current).orWhere((p) => p.whereNotNull('previous_secret').andWhereNot('previous_secret', 'like', current)))
        .orderBy('id')
        .limit(batchSize)) as Array<Pick<EndpointRow, 'id' | 'secret' | 'previous_secret'>>;
      if (rows.length === 0) return sealed;
      await this.db.transaction(async (trx) => {
        for (const row of rows) {
          const change = {
            secret: this.box.seal(this.box.open(row.secret)),
            previous_secret: row.previous_secret === null ? null : this.box.seal(this.box.open(row.previous_secret)),
          };
          // Compare-and-set: a rotation that committed meanwhile wrote sealed values of its own.
          const query = trx('webhook_endpoints').where({ id: row.id, secret: row.secret });
          const updated = await (row.previous_secret === null ? query.whereNull('previous_secret') : query.andWhere('previous_secret', row.previous_secret)).update(change);
          sealed += updated;
        }
      });
      after = rows[rows.length - 1].id;
    }
  }
}
