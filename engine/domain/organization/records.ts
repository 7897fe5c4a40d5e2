import type { Knex } from 'knex';
import type { OwnedRecords, OwnedRow } from '../../store/owned-records';
import type { Paginator } from '../../store/pagination';
import type { TransactionRunner } from '../../store/transactions';
import { notFound } from '../../support/errors';
import { newId, type IdPrefix } from '../../support/ids';
import type { Clock } from '../../support/time';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';

/** How one kind of workspace-owned record is named, stored and shown. */
export interface RecordKind<Row extends OwnedRow, Public> {
  prefix: IdPrefix;
  /** Audit resource type and action prefix, e.g. `folder` → `folder.created`. */
  resource: string;
  /** For "… not found." */
  label: string;
  serialize(row: Row): Public;
}

export interface RecordDeps {
  transactions: TransactionRunner;
  clock: Clock;
  paginator: Paginator;
}

/** Work done inside a write's transaction, after the row is read (and locked): may throw an ApiError to roll back. */
export type InTransaction<Row> = (trx: Knex.Transaction, row: Row, at: number) => Promise<void>;

/**
 * Create, read, list, update and delete of a workspace-owned record, each write in one transaction with its audit
 * entry. Another workspace's or mode's record is a 404, like one that never existed.
 */
export class OwnedRecordService<Row extends OwnedRow, Public extends Record<string, unknown>> {
  constructor(
    readonly store: OwnedRecords<Row>,
    private readonly kind: RecordKind<Row, Public>,
    private readonly deps: RecordDeps,
  ) {}

  async create(actor: Actor, fields: Omit<Row, keyof OwnedRow>, check?: InTransaction<Row>): Promise<Public> {
    const now = this.deps.clock.now();
    const at = now.getTime();
    const row = { ...fields, id: newId(this.kind.prefix, at), workspace_id: actor.workspaceId, mode: actor.mode, created_at: at, updated_at: at } as Row;
    return this.deps.transactions.run(async (trx) => {
      await check?.(trx, row, at);
      await this.store.insert(trx, row);
      const after = this.kind.serialize(row);
      await recordAudit(trx, actor, { action: `${this.kind.resource}.created`, resourceType: this.kind.resource, resourceId: row.id, before: null, after }, now);
      return after;
    });
  }

  async get(actor: Actor, id: string): Promise<Public> {
    const row = await this.store.find(actor, id);
    if (!row) throw notFound(this.kind.label);
    return this.kind.serialize(row);
  }

  /** The row, for services built on this one; 404 when the owner has none. */
  async row(actor: Actor, id: string, lockIn?: Knex.Transaction): Promise<Row> {
    const row = await this.store.find(actor, id, lockIn);
    if (!row) throw notFound(this.kind.label);
    return row;
  }

  /** Applies the changes that differ; a patch that changes nothing leaves `updated_at` and the audit log alone. */
  async update(actor: Actor, id: string, patch: Partial<Omit<Row, keyof OwnedRow>>, check?: InTransaction<Row>): Promise<{ record: Public; changed: boolean }> {
    const now = this.deps.clock.now();
    return this.deps.transactions.run(async (trx) => {
      const row = await this.row(actor, id, trx);
      const changes: Partial<Row> = {};
      for (const [key, value] of Object.entries(patch)) if (value !== undefined && value !== row[key as keyof Row]) (changes as Record<string, unknown>)[key] = value;
      if (Object.keys(changes).length === 0) return { record: this.kind.serialize(row), changed: false };
      const updated = { ...row, ...changes, updated_at: Math.max(now.getTime(), row.updated_at + 1) };
      await check?.(trx, updated, now.getTime());
      await this.store.update(trx, id, { ...changes, updated_at: updated.updated_at });
      const before = this.kind.serialize(row);
      const after = this.kind.serialize(updated);
      await recordAudit(trx, actor, { action: `${this.kind.resource}.updated`, resourceType: this.kind.resource, resourceId: id, before, after }, now);
      return { record: after, changed: true };
    });
  }

  /** Deletes the record; `before` runs first in the transaction (refuse, or clear what refers to it). */
  async delete(actor: Actor, id: string, before?: InTransaction<Row>): Promise<Public> {
    const now = this.deps.clock.now();
    return this.deps.transactions.run(async (trx) => {
      const row = await this.row(actor, id, trx);
      await before?.(trx, row, now.getTime());
      await this.store.delete(trx, id);
      const record = this.kind.serialize(row);
      await recordAudit(trx, actor, { action: `${this.kind.resource}.deleted`, resourceType: this.kind.resource, resourceId: id, before: record, after: null }, now);
      return record;
    });
  }

  /** Oldest first, keyset-paginated. */
  async list(actor: Actor, page: { limit: number; cursor?: string }, filters: Record<string, string | null> = {}): Promise<{ data: Public[]; pagination: { has_more: boolean; cursor: string | null } }> {
    const query = this.store.listQuery(actor, filters);
    const result = await this.deps.paginator.page<Row>(query, {
      limit: page.limit,
      cursor: page.cursor,
      sort: 'created_at',
      order: 'asc',
      scope: `${this.kind.resource}:${actor.workspaceId}:${actor.mode}:${JSON.stringify(filters)}`,
    });
    return { data: result.rows.map((row) => this.kind.serialize(row)), pagination: { has_more: result.hasMore, cursor: result.cursor } };
  }
}
