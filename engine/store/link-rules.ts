import type { Knex } from 'knex';
import type { Mode } from './keys';

/** A row of `link_rules`. `conditions` and `variants` are JSON text; times are epoch milliseconds. */
export interface RuleRow {
  id: string;
  link_id: string;
  workspace_id: string;
  mode: Mode;
  position: number;
  conditions: string;
  url: string;
  variants: string | null;
  created_at: number;
  updated_at: number;
}

/** The SQL of routing rules. Methods taking `trx` run in the caller's transaction. */
export class RuleStore {
  constructor(private readonly db: Knex) {}

  /** A link's rules in evaluation order. */
  async ofLink(linkId: string, db: Knex = this.db): Promise<RuleRow[]> {
    const rows: RuleRow[] = await db('link_rules').where({ link_id: linkId }).orderBy([{ column: 'position' }, { column: 'id' }]);
    return rows.map((row) => ({ ...row, position: Number(row.position), created_at: Number(row.created_at), updated_at: Number(row.updated_at) }));
  }

  /** The rules of several links, in order, by link id. */
  async ofLinks(linkIds: string[], db: Knex = this.db): Promise<Map<string, RuleRow[]>> {
    const byLink = new Map<string, RuleRow[]>(linkIds.map((id) => [id, []]));
    if (linkIds.length === 0) return byLink;
    const rows: RuleRow[] = await db('link_rules').whereIn('link_id', linkIds).orderBy([{ column: 'link_id' }, { column: 'position' }, { column: 'id' }]);
    for (const row of rows) byLink.get(row.link_id)?.push({ ...row, position: Number(row.position), created_at: Number(row.created_at), updated_at: Number(row.updated_at) });
    return byLink;
  }

  async insert(trx: Knex, rows: RuleRow[]): Promise<void> {
    if (rows.length) await trx('link_rules').insert(rows);
  }

  async update(trx: Knex, id: string, changes: Partial<RuleRow>): Promise<void> {
    await trx('link_rules').where({ id }).update(changes);
  }

  /** Sets each rule's position to its index in `ids`. */
  async renumber(trx: Knex, ids: string[]): Promise<void> {
    for (const [position, id] of ids.entries()) await trx('link_rules').where({ id }).update({ position });
  }

  async delete(trx: Knex, ids: string[]): Promise<void> {
    if (ids.length) await trx('link_rules').whereIn('id', ids).del();
  }
}
