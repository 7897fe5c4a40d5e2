import type { Knex } from 'knex';

/**
 * Renames `table` away, so every write to it fails as in a real outage (on every connection, the click writer's
 * worker included), and answers what puts it back.
 */
export async function takeTableOffline(db: Knex, table: string): Promise<() => Promise<void>> {
  const away = `${table}_offline`;
  await db.schema.renameTable(table, away);
  return () => db.schema.renameTable(away, table);
}
