import type { Knex } from 'knex';
import { RollupWriter } from './analytics/rollups';
import { clickRecordedEvents, spawnClickWriter, TransactionBatchWriter, VisitorHasher, WorkerBatchWriter, type BatchWriter, type FlushListener } from './clicks';
import { ConfigError, type EngineConfig } from './config';
import type { Outbox } from './domain/outbox';
import { PlanLimits } from './domain/plans';
import type { SecretRef } from './domain/settings';
import { sqliteFileOf } from './store/db';
import type { Clock } from './support/time';

/**
 * The publish point of the click flusher: what every flush writes in its transaction besides the clicks.
 * `click.recorded` events (the outbox's listeners plan their webhook deliveries), monthly click usage for the plan,
 * and the analytics rollups. Built once on the engine's event loop, or in the click-writer worker.
 */
export function clickFlushListeners(db: Knex, clock: Clock, outbox: Outbox): FlushListener[] {
  return [clickRecordedEvents(outbox, clock), new PlanLimits(db).recordClicks, new RollupWriter(db).listener];
}

export interface ClickWriterDeps {
  config: EngineConfig;
  db: Knex;
  clock: Clock;
  secret: SecretRef;
  outbox: Outbox;
  /** Told about webhook deliveries the worker's flushes planned (inline, the outbox's own listener does it). */
  notifyPlanned(deliveries: unknown[]): void;
}

/**
 * Where flushes are written. `auto` (the default) gives a SQLite file a worker thread (better-sqlite3 is synchronous,
 * so an inline flush would stall every redirect for its duration) and Postgres the engine's own pool (its queries
 * are asynchronous already). An in-memory SQLite database cannot be shared with a worker.
 */
export function createClickWriter({ config, db, clock, secret, outbox, notifyPlanned }: ClickWriterDeps): BatchWriter {
  const file = sqliteFileOf(config.databaseUrl);
  const inMemory = file === ':memory:' || file === '';
  if (config.clickWriter === 'worker' && inMemory) throw new ConfigError('Invalid configuration: MASK_CLICK_WRITER=worker needs a database file or Postgres, not an in-memory database');
  const useWorker = config.clickWriter === 'worker' || (config.clickWriter === 'auto' && file !== null && !inMemory);
  if (!useWorker) return new TransactionBatchWriter(db, clickFlushListeners(db, clock, outbox), new VisitorHasher(secret));
  return new WorkerBatchWriter(
    () => spawnClickWriter({ databaseUrl: config.databaseUrl, secret: secret.value }),
    () => clock.now().getTime(),
    notifyPlanned,
  );
}
