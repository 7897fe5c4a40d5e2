import type { Knex } from 'knex';
import { MIGRATIONS, type Migration } from '../../migrations';

/** A migrator config over a prefix of the migration list (or all of it). */
export const migrationConfig = (migrations: typeof MIGRATIONS = MIGRATIONS): Knex.MigratorConfig => ({
  tableName: 'knex_migrations',
  migrationSource: {
    getMigrations: async () => migrations,
    getMigrationName: ([name]: [string, Migration]) => name,
    getMigration: async ([, migration]: [string, Migration]) => migration,
  },
});

/** Rolls back one migration at a time, newest first, until `name` has been rolled back; returns what was rolled back. */
export async function rollBackThrough(db: Knex, name: string): Promise<string[]> {
  const undone: string[] = [];
  while (!undone.includes(name)) {
    const [, names] = (await db.migrate.down(migrationConfig())) as [unknown, string[]];
    if (names.length === 0) throw new Error(`${name} is not applied`);
    undone.push(...names);
  }
  return undone;
}
