import type { Knex } from 'knex';

/**
 * Drops columns with a plain ALTER TABLE on both dialects. Knex's SQLite dropColumn rebuilds the table instead, and
 * rebuilding a parent table (workspaces, links) fires ON DELETE CASCADE and wipes its children.
 */
export async function dropColumns(knex: Knex, table: string, columns: string[]): Promise<void> {
  for (const column of columns) await knex.raw('ALTER TABLE ?? DROP COLUMN ??', [table, column]);
}
