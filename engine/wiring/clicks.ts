import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Knex } from 'knex';
import { RollupWriter } from '../analytics/rollups';
import { CapReservations, clickRecordedEvents, ClickRecorder, ClickSpool, InlineBatchWriter, ThreadBatchWriter, VisitorHasher, type BatchWriter, type ClickWriterThreadSetup, type FlushListener } from '../clicks';
import type { Outbox } from '../domain/outbox';
import type { SecretRef } from '../domain/engine-secret';
import { PlanLimits } from '../domain/plans';
import { clickStoreFor } from '../store/clicks';
import { dialectOf } from '../store/db';
import { LinkStore } from '../store/links';
import { PlanStore } from '../store/plans';
import { transactionRunner } from '../store/transactions';
import type { Clock } from '../support/time';
import type { DueDelivery } from '../store/webhook-deliveries';
import { relayLogLine } from '../support/logger';
import type { Foundation } from './foundation';

/**
 * The publish point of the click flusher: what every flush writes in its transaction besides the clicks.
 * `click.recorded` events (the outbox's listeners plan their webhook deliveries), monthly click usage for the plan,
 * and the analytics rollups. Built once on the engine's event loop, or in the click-writer thread.
 */
export function clickFlushListeners(db: Knex, clock: Clock, outbox: Outbox): FlushListener[] {
  return [clickRecordedEvents(outbox, clock), new PlanLimits(new PlanStore(db), new LinkStore(db)).recordClicks, new RollupWriter(db).listener];
}

/** Batches a Postgres writer commits at once (see BatchWriter.lanes); measured with `npm run bench clicks`. */
const POSTGRES_LANES = 2;

/**
 * A writer of click batches on this thread, over `db`: the engine's own (inline) or the click-writer thread's.
 * SQLite commits one at a time whatever is asked (one writer per file), so it gets one lane.
 */
export function inlineBatchWriter(db: Knex, clock: Clock, outbox: Outbox, secret: SecretRef): InlineBatchWriter {
  const lanes = dialectOf(db) === 'postgres' ? POSTGRES_LANES : 1;
  return new InlineBatchWriter(clickStoreFor(db), transactionRunner(db), clickFlushListeners(db, clock, outbox), new VisitorHasher(secret), lanes);
}

const THREAD_FILE = path.join(__dirname, `click-writer-thread${path.extname(__filename)}`);

/**
 * The writer's young generation: a batch's objects live for one flush, so a few MB hold them. V8's default (up to
 * about 48 MB, sized for a main thread) only added to the engine's RSS under load: 8 MB took about 25 MB off it, at
 * no CPU cost measured in the thread.
 */
const WRITER_YOUNG_GENERATION_MB = 8;

/** Starts the click-writer thread; under tsx (tests, benchmarks) it registers tsx itself, since module hooks are per thread. */
export function spawnClickWriterThread(setup: ClickWriterThreadSetup): Worker {
  const options = { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: WRITER_YOUNG_GENERATION_MB } };
  if (THREAD_FILE.endsWith('.ts')) return new Worker(`require('tsx/cjs'); require(${JSON.stringify(THREAD_FILE)});`, { ...options, eval: true });
  return new Worker(THREAD_FILE, options);
}

/**
 * Where flushes are written (config.clickWriter, MASK_CLICK_WRITER): `worker` is a ThreadBatchWriter, `inline` an
 * InlineBatchWriter. A SQLite file gets a worker thread by default: better-sqlite3 is
 * synchronous, so an inline flush would stall every redirect for its duration. Postgres writes inline, on the
 * engine's own pool: its queries are asynchronous already.
 */
function batchWriterFor({ config, db, clock, secret, outbox, logger }: Foundation, notifyPlanned: (deliveries: DueDelivery[]) => void): BatchWriter {
  if (config.clickWriter === 'inline') return inlineBatchWriter(db, clock, outbox, secret);
  return new ThreadBatchWriter<DueDelivery>(
    () => spawnClickWriterThread({ databaseUrl: config.databaseUrl, secret: secret.value, logLevel: logger.level }),
    () => clock.now().getTime(),
    notifyPlanned,
    undefined,
    (line) => relayLogLine(logger, line, { thread: 'click-writer' }),
  );
}

/**
 * Click capture: buffered in memory, flushed in batches by the writer above, spooled to `config.clickSpoolDir` when
 * the database cannot take them in time. `notifyPlanned` hears of the webhook
 * deliveries a worker thread's flush planned (inline, the outbox's own listener does it).
 */
export function wireClicks(foundation: Foundation, notifyPlanned: (deliveries: DueDelivery[]) => void): ClickRecorder {
  const { config, logger, lifecycle, metrics, redis } = foundation;
  const spool = config.clickSpoolDir ? new ClickSpool(config.clickSpoolDir, config.databaseUrl, logger) : null;
  const clicks = new ClickRecorder(
    batchWriterFor(foundation, notifyPlanned),
    logger,
    {
      flushMs: config.clickFlushMs,
      batchSize: config.clickBatchSize,
      bufferMax: config.clickBufferMax,
      closeGraceMs: config.clickShutdownGrace,
      onCaptured: () => metrics.clicksCaptured.inc(),
      onWritten: (count) => metrics.clicksWritten.inc(count),
      // With Redis, max_clicks is exact across processes: each counted click of a capped link reserves its place.
      caps: redis ? new CapReservations(redis, `${config.redisPrefix}click-caps:`, logger) : null,
    },
    spool,
  );
  metrics.gauge('mask_clicks_pending', 'Clicks captured and not yet committed to the database.', [], (set) => set(clicks.buffered));
  // Eagerly: the writer is ready before the first click, and spool files of earlier processes are replayed.
  lifecycle.onStart(() => clicks.start());
  return clicks;
}
