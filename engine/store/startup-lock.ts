import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { dialectOf } from './db';

/** One key for "this database is being set up" (migrations, the engine secret, the first workspace). */
const ADVISORY_KEY = 0x4d41534b; // "MASK"
const STALE_LOCK_MS = 120_000;
const WAIT_MS = 50;
const MAX_WAIT_MS = 300_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` while no other process of this deployment runs start-up work on the same database, so processes
 * started together on an empty database migrate once and bootstrap once.
 *
 * Postgres: a transaction-scoped advisory lock, held by one pooled connection for the duration (released by the
 * commit, or by the server when the connection dies). `work` uses the pool's other connections.
 * SQLite: a lock file next to the database, created exclusively (a lock older than two minutes is taken as left by
 * a dead process). An in-memory database belongs to one process and needs no lock.
 */
export async function withStartupLock<T>(db: Knex, work: () => Promise<T>): Promise<T> {
  if (dialectOf(db) === 'postgres') {
    let result: T;
    await db.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(?)', [ADVISORY_KEY]);
      result = await work();
    });
    return result!;
  }
  const databaseFile = (db.client.config.connection as { filename?: string } | undefined)?.filename;
  if (!databaseFile || databaseFile === ':memory:') return work();
  return withLockFile(`${path.resolve(databaseFile)}.startup-lock`, work);
}

async function withLockFile<T>(lockFile: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      const fd = fs.openSync(lockFile, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - fs.statSync(lockFile).mtimeMs > STALE_LOCK_MS) fs.rmSync(lockFile, { force: true });
      } catch {
        // gone in between: try again
      }
      if (Date.now() - started > MAX_WAIT_MS) throw new Error(`Timed out waiting for the start-up lock ${lockFile}`);
      await sleep(WAIT_MS);
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}
