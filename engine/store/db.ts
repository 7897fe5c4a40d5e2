import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import { sqliteFileOf } from './database-url';
import type { Logger } from '../support/logger';

const INT8_OID = 20;
/** Compiled SQLite statements kept per connection (queries with many placeholders vary; the rest repeat). */
const STATEMENT_CACHE_SIZE = 500;
/**
 * Longer SQL is compiled each time: it is the multi-row inserts, whose text changes with the batch size, and each
 * compiled copy holds memory in proportion to its placeholders (caching them held ~120 MB under the redirect bench).
 */
const CACHED_SQL_MAX_LENGTH = 2_000;

/** pg's own parsers, loaded with the first Postgres connection, not at start (see support/optional-deps.ts). */
let pgTypes: typeof import('pg').types | undefined;
const pgParsers = () => (pgTypes ??= (require('pg') as typeof import('pg')).types);

/**
 * int8 (counts, epoch milliseconds) as numbers: every value we store stays below 2^53. Set on our own connections
 * only, never through pg's process-wide parsers, so a host app that uses pg is not affected.
 */
const engineTypes = {
  getTypeParser: (oid: number, format?: string) =>
    oid === INT8_OID ? (value: string) => Number(value) : pgParsers().getTypeParser(oid, format as 'text' | 'binary' | undefined),
};

export type Dialect = 'sqlite' | 'postgres';

export function dialectOf(db: Knex): Dialect {
  return db.client.config.client === 'pg' ? 'postgres' : 'sqlite';
}

/** knex's own messages (warnings, deprecations, pool trouble) through the engine's JSON logger, not console. */
const knexLog = (logger?: Logger): Knex.Config['log'] =>
  logger && {
    warn: (message: unknown) => logger.warn({ knex: message }, 'knex warning'),
    error: (message: unknown) => logger.error({ knex: message }, 'knex error'),
    deprecate: (method: string, alternative: string) => logger.warn({ method, alternative }, 'knex deprecation'),
    debug: (message: unknown) => logger.debug({ knex: message }, 'knex debug'),
  };

export function createDb(databaseUrl: string, logger?: Logger): Knex {
  const file = sqliteFileOf(databaseUrl);
  if (file === null) {
    return knex({ client: 'pg', connection: { connectionString: databaseUrl, types: engineTypes }, pool: { min: 0, max: 10 }, log: knexLog(logger) });
  }
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return knex({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    log: knexLog(logger),
    // One connection: better-sqlite3 is synchronous, so a pool would only add lock contention.
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: { pragma(sql: string): unknown; prepare(sql: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
        // Transactions take the write lock when they begin. A deferred BEGIN that reads first fails outright
        // (SQLITE_BUSY_SNAPSHOT) once another process (`mask worker`) has written in between; IMMEDIATE waits instead.
        const prepare = conn.prepare.bind(conn);
        // knex prepares every query anew; compiling the same SQL once per connection saves that work on every request
        // (statements run synchronously to completion, so a cached one is never in use twice at a time).
        const statements = new LRUCache<string, object>({ max: STATEMENT_CACHE_SIZE });
        conn.prepare = (sql: string) => {
          if (sql.length > CACHED_SQL_MAX_LENGTH) return prepare(sql);
          let statement = statements.get(sql);
          if (!statement) {
            statement = prepare(sql === 'BEGIN;' ? 'BEGIN IMMEDIATE;' : sql) as object;
            statements.set(sql, statement);
          }
          return statement;
        };
        conn.pragma('journal_mode = WAL');
        conn.pragma('synchronous = NORMAL');
        conn.pragma('foreign_keys = ON');
        conn.pragma('busy_timeout = 5000');
        done(null, conn);
      },
    },
  });
}

/** `LIKE` that is case-insensitive on both dialects and treats `%` and `_` in the term literally. */
export function whereContains(builder: Knex.QueryBuilder, db: Knex, column: string, term: string): Knex.QueryBuilder {
  const escaped = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return dialectOf(db) === 'postgres'
    ? builder.orWhereRaw(`?? ILIKE ? ESCAPE '\\'`, [column, escaped])
    : builder.orWhereRaw(`?? LIKE ? ESCAPE '\\'`, [column, escaped]);
}

/** One trivial round trip (`select 1`): resolves when the database answers, throws when it does not. */
export async function ping(db: Knex): Promise<void> {
  await db.raw('select 1');
}

/** True when the error is a unique-constraint violation on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export const asBool = (value: unknown): boolean => value === true || value === 1 || value === '1';

export function parseJson<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value !== 'string') return value as T;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}
