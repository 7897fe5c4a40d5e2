import type { Knex } from 'knex';
import * as foundation from './20261121_001_foundation';
import * as clicks from './20261121_003_clicks';

export interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Every migration, in order. A static list works the same from TypeScript sources and from dist/. */
export const MIGRATIONS: Array<[name: string, migration: Migration]> = [
  ['20261121_001_foundation', foundation],
  ['20261121_003_clicks', clicks],
];
