import type { Knex } from 'knex';
import { MIGRATIONS, type Migration } from '../../migrations';

const source: Knex.MigrationSource<[string, Migration]> = {
  getMigrations: async () => MIGRATIONS,
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};

const config: Knex.MigratorConfig = { migrationSource: source, tableName: 'knex_migrations' };

export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = await db.migrate.latest(config);
  return applied as string[];
}

export async function rollbackAll(db: Knex): Promise<string[]> {
  const [, rolledBack] = await db.migrate.rollback(config, true);
  return rolledBack as string[];
}
