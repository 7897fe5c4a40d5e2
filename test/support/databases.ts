import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knex from 'knex';

export type TestDialect = 'sqlite' | 'postgres';

/** The dialect of this test run: `npm test` runs the suite on SQLite, then on Postgres + Redis when configured. */
export function testDialect(): TestDialect {
  return process.env.MASK_TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite';
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database for one test: a temporary SQLite file, or a new Postgres database. */
export async function createTestDatabase(dialect: TestDialect = testDialect()): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mask-test-'));
    return { url: `sqlite:${path.join(dir, 'mask.sqlite')}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('MASK_TEST_DIALECT=postgres needs TEST_DATABASE_URL');
  const name = `mask_t_${randomBytes(6).toString('hex')}`;
  const admin = knex({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`CREATE DATABASE ${name}`);
  } finally {
    await admin.destroy();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = knex({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
      try {
        await dropper.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.destroy();
      }
    },
  };
}

/**
 * The MASK_SECRET of the Postgres pass: a Postgres deployment refuses to start without one (scripts/test.js gives
 * its child processes the same value). SQLite runs keep the key file beside each temporary database instead.
 */
export const TEST_SECRET = 'mask-test-secret-not-for-production-0123456789';

/** `{secret}` for engines of the Postgres pass, nothing on SQLite (where the key file is exercised). */
export const testSecret = (): { secret?: string } => (testDialect() === 'postgres' ? { secret: TEST_SECRET } : {});

/** Redis for this run (Postgres pass only), with a prefix of its own so parallel test files never share keys. */
export function testRedis(): { redisUrl?: string; redisPrefix?: string } {
  const url = process.env.TEST_REDIS_URL;
  if (testDialect() !== 'postgres' || !url) return {};
  return { redisUrl: url, redisPrefix: `mask-test:${randomBytes(6).toString('hex')}:` };
}
