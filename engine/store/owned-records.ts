import type { Knex } from 'knex';
import type { LinkOwner } from './links';

/** A row of a table whose rows belong to one workspace and mode (folders, campaigns, UTM templates, pixels). */
export interface OwnedRow {
  id: string;
  workspace_id: string;
  mode: LinkOwner['mode'];
  created_at: number;
  updated_at: number;
}

/** The plain SQL every workspace-owned table shares: insert, find (optionally locked), update, delete, list. */
export class OwnedRecords<Row extends OwnedRow> {
  constructor(
    protected readonly db: Knex,
    readonly table: string,
  ) {}

  async insert(trx: Knex, row: Row): Promise<void> {
    await trx(this.table).insert(row);
  }

  /** The owner's row, or undefined; with `lockIn`, read in that transaction and locked for update. */
  async find(owner: LinkOwner, id: string, lockIn?: Knex.Transaction): Promise<Row | undefined> {
    const query = (lockIn ?? this.db)(this.table).where({ id, workspace_id: owner.workspaceId, mode: owner.mode });
    return (lockIn ? query.forUpdate().first() : query.first()) as Promise<Row | undefined>;
  }

  /** Those of `ids` that are rows of the owner. */
  async findMany(owner: LinkOwner, ids: readonly string[], db: Knex = this.db): Promise<Row[]> {
    if (ids.length === 0) return [];
    return db(this.table).where({ workspace_id: owner.workspaceId, mode: owner.mode }).whereIn('id', [...ids]);
  }

  async update(trx: Knex, id: string, changes: Partial<Row>): Promise<void> {
    await trx(this.table).where({ id }).update(changes);
  }

  async delete(trx: Knex, id: string): Promise<void> {
    await trx(this.table).where({ id }).del();
  }

  /** The owner's rows, unordered and unlimited: the paginator adds keyset, order and limit. */
  listQuery(owner: LinkOwner, equal: Record<string, string | null> = {}): Knex.QueryBuilder {
    return this.db(this.table).where({ ...equal, workspace_id: owner.workspaceId, mode: owner.mode });
  }

  async count(owner: LinkOwner, db: Knex = this.db): Promise<number> {
    const [{ n }] = await db(this.table).where({ workspace_id: owner.workspaceId, mode: owner.mode }).count({ n: '*' });
    return Number(n);
  }
}

/** Folders: owned records with a parent. */
export class FolderRecords<Row extends OwnedRow & { parent_id: string | null }> extends OwnedRecords<Row> {
  constructor(db: Knex) {
    super(db, 'folders');
  }

  async hasChildren(db: Knex, owner: LinkOwner, parentId: string): Promise<boolean> {
    return (await db(this.table).where({ workspace_id: owner.workspaceId, mode: owner.mode, parent_id: parentId }).first('id')) !== undefined;
  }
}
