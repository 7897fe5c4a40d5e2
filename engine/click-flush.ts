import type { Knex } from 'knex';
import { RollupWriter } from './analytics/rollups';
import { clickRecordedEvents, spawnClickWriter, TransactionBatchWriter, VisitorHasher, WorkerBatchWriter, type BatchWriter, type FlushListener } from './clicks';
import type { EngineConfig } from './config';
import type { Outbox } from './domain/outbox';
import { PlanLimits } from './domain/plans';
import type { SecretRef } from './domain/engine-secret';
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
 * Where flushes are written (config.clickWriter). A SQLite file gets a worker thread by default: better-sqlite3 is
 * synchronous, so an inline flush would stall every redirect for its duration. Postgres writes inline, on the
 * engine's own pool: its queries are asynchronous already.
 */
export function createClickWriter({ config, db, clock, secret, outbox, notifyPlanned }: ClickWriterDeps): BatchWriter {
  if (config.clickWriter === 'inline') return new TransactionBatchWriter(db, clickFlushListeners(db, clock, outbox), new VisitorHasher(secret));
  return new WorkerBatchWriter(
    () => spawnClickWriter({ databaseUrl: config.databaseUrl, secret: secret.value }),
    () => clock.now().getTime(),
    notifyPlanned,
  );
}
