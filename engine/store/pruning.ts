import type { Knex } from 'knex';
import { newId, type IdPrefix } from '../support/ids';

/** The smallest id created at `at`: ids are time-sortable, so `id < bound` means "created before", on the primary key. */
export const idBoundAt = (prefix: IdPrefix, at: number): string => newId(prefix, at).slice(0, prefix.length + 11);

/** Deletes the rows `pick` narrows `table` to, `batch` at a time so no transaction grows large; answers how many went. */
export async function deleteInBatches(
  db: Knex,
  table: string,
  pick: (query: Knex.QueryBuilder) => Knex.QueryBuilder,
  batch: number,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const count = await db(table).whereIn('id', pick(db(table).select('id')).limit(batch)).delete();
    deleted += count;
    if (count < batch) return deleted;
  }
}
