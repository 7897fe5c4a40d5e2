import { Queue, Worker, type Job } from 'bullmq';
import IORedis, { type Redis } from 'ioredis';
import type { DueDelivery } from '../store/webhook-deliveries';
import type { DispatchDeps, Dispatcher } from './dispatcher';
import { InFlight } from './in-flight';
import { Slots } from './slots';

const QUEUE_NAME = 'webhook-deliveries';
// A pending row this long past due while no job ran it: its job was lost (Redis restart, FLUSHALL, a dead worker).
const SWEEP_AFTER_MS = 5_000;
const SWEEP_BATCH = 1_000;
// Deliveries per job: one claim statement serves them all.
const JOB_BATCH = 50;
const READY_TIMEOUT_MS = 1_000;
const ADD_TIMEOUT_MS = 5_000;

export interface BullOptions {
  redisUrl: string;
  /** Prefix of every BullMQ key, under the engine's Redis prefix. */
  prefix: string;
  concurrency: number;
  leaseMs: number;
  sweepIntervalMs: number;
  closeGraceMs: number;
  cutOff: () => void;
}

/** The row is not visible yet (its transaction has not committed): BullMQ retries the job shortly. */
class NotYetVisible extends Error {}

interface JobData {
  ids: string[];
}

/** Deliveries due at the same moment, in jobs of up to JOB_BATCH. */
function toBatches(deliveries: DueDelivery[]): Array<{ ids: string[]; availableAt: number }> {
  const byTime = new Map<number, string[]>();
  for (const { id, availableAt } of deliveries) byTime.set(availableAt, [...(byTime.get(availableAt) ?? []), id]);
  const batches: Array<{ ids: string[]; availableAt: number }> = [];
  for (const [availableAt, ids] of byTime) {
    for (let i = 0; i < ids.length; i += JOB_BATCH) batches.push({ ids: ids.slice(i, i + JOB_BATCH), availableAt });
  }
  return batches;
}

/**
 * Dispatch through BullMQ. Jobs carry only delivery ids; the worker claims the rows in the database (a lease) and only
 * as many as it can start at once, so a duplicate or stale job is a no-op. A job's id is its first delivery, its due
 * time and its size: the sweeper, re-adding what Redis lost, finds a job that is still queued under the same id.
 */
export class BullDispatcher implements Dispatcher {
  private producer: { connection: Redis; queue: Queue } | null = null;
  private worker: Worker | null = null;
  private workerConnection: Redis | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private closed = false;
  private redisDown = false;
  private readonly inFlight = new InFlight();
  private readonly slots: Slots;

  constructor(
    private readonly deps: DispatchDeps,
    private readonly options: BullOptions,
  ) {
    this.slots = new Slots(options.concurrency);
  }

  private connect(blocking: boolean): Redis {
    // Producers fail fast while Redis is away (the sweeper recovers); workers wait for it.
    const connection = new IORedis(this.options.redisUrl, blocking ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    // Once per outage, not once per reconnection attempt.
    connection.on('error', (error) => {
      if (!this.redisDown) this.deps.logger.warn({ err: error }, 'webhook queue: Redis connection lost; retrying');
      this.redisDown = true;
    });
    connection.on('ready', () => {
      if (this.redisDown) this.deps.logger.info('webhook queue: Redis connection back');
      this.redisDown = false;
    });
    return connection;
  }

  private queue(): Queue {
    if (!this.producer) {
      const connection = this.connect(false);
      const queue = new Queue(QUEUE_NAME, { connection, prefix: this.options.prefix });
      // Connection errors are reported by the connection itself.
      queue.on('error', (error) => this.deps.logger.debug({ err: error }, 'webhook queue error'));
      this.producer = { connection, queue };
    }
    return this.producer.queue;
  }

  notify(deliveries: DueDelivery[]): void {
    if (this.closed || deliveries.length === 0) return;
    this.add(deliveries).catch((error: unknown) => this.deps.logger.warn({ err: error, count: deliveries.length }, 'webhook queue: could not add jobs; the sweeper will'));
  }

  /** Adds jobs, or fails within ADD_TIMEOUT_MS: while Redis is away the rows wait for the sweeper instead. */
  private async add(deliveries: DueDelivery[]): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('Redis did not answer')), ADD_TIMEOUT_MS)));
    try {
      await Promise.race([this.addJobs(deliveries), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async addJobs(deliveries: DueDelivery[]): Promise<void> {
    const now = this.deps.clock.now().getTime();
    await this.queue().addBulk(
      toBatches(deliveries).map(({ ids, availableAt }) => ({
        name: 'deliver',
        data: { ids } satisfies JobData,
        opts: {
          jobId: `${ids[0]}-${availableAt}-${ids.length}`,
          delay: Math.max(0, availableAt - now),
          removeOnComplete: true,
          removeOnFail: true,
          attempts: 5,
          backoff: { type: 'exponential', delay: 200 },
        },
      })),
    );
  }

  async startWorkers(): Promise<void> {
    if (this.workerConnection) return;
    const connection = (this.workerConnection = this.connect(true));
    this.sweeper = setInterval(() => void this.sweep(), this.options.sweepIntervalMs);
    void this.sweep();
    // BullMQ's worker is made once its connection is ready: a worker closed while still connecting rejects its
    // set-up with nobody listening, an unhandled rejection that ends the process. Start returns once the worker is
    // ready, or after a bound, so that an engine started while Redis is away still starts.
    const started = new Promise<void>((resolve) => {
      const startWorker = () => {
        if (this.closed) return resolve();
        this.worker = this.createWorker(connection);
        this.worker.waitUntilReady().then(() => resolve(), () => resolve());
      };
      if (connection.status === 'ready') startWorker();
      else connection.once('ready', startWorker);
    });
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, READY_TIMEOUT_MS)));
    await Promise.race([started, bound]);
    clearTimeout(timer);
  }

  private createWorker(connection: Redis): Worker {
    const worker = new Worker(QUEUE_NAME, (job: Job<JobData>) => this.process(job.data.ids), {
      connection,
      prefix: this.options.prefix,
      concurrency: this.options.concurrency,
      // Jobs a dead worker had taken but not yet claimed keep their id, so the sweeper cannot re-add them: BullMQ's
      // own stalled-job check returns them to the queue, within a lease's time. Whoever claims the row delivers;
      // the stalled-job limit must never drop a delivery.
      lockDuration: this.options.leaseMs,
      stalledInterval: this.options.leaseMs,
      maxStalledCount: 100,
    });
    worker.on('error', (error) => {
      if (this.redisDown) this.deps.logger.debug({ err: error }, 'webhook worker error while Redis is away');
      else this.deps.logger.warn({ err: error }, 'webhook worker error');
    });
    worker.on('failed', (job, error) => {
      if (!(error instanceof NotYetVisible)) this.deps.logger.warn({ err: error, job: job?.id }, 'webhook job failed');
    });
    return worker;
  }

  private async process(ids: string[]): Promise<void> {
    const waiting = [...ids];
    const unclaimed: string[] = [];
    const attempts: Promise<void>[] = [];
    while (waiting.length) {
      const taken = await this.slots.take(waiting.length);
      const batch = waiting.splice(0, taken);
      const now = this.deps.clock.now().getTime();
      const claimed = await this.deps.store.claim(batch, now, now + this.options.leaseMs).catch((error: unknown) => {
        this.slots.give(taken);
        throw error;
      });
      this.slots.give(taken - claimed.length);
      const claimedIds = new Set(claimed.map((delivery) => delivery.id));
      unclaimed.push(...batch.filter((id) => !claimedIds.has(id)));
      for (const delivery of claimed) {
        const attempt = this.deps.runner.run(delivery).finally(() => this.slots.give());
        this.inFlight.track(attempt.catch(() => undefined));
        attempts.push(attempt);
      }
    }
    await Promise.all(attempts);
    // Not claimable: done already, held by a live lease, or not committed yet. Only the last is worth a retry.
    const missing = unclaimed.length ? await this.deps.store.missing(unclaimed) : [];
    if (missing.length) throw new NotYetVisible(`deliveries ${missing.join(', ')} are not visible yet`);
  }

  /** Re-adds jobs for pending rows that are well past due: whatever the queue lost. */
  sweep(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.sweeping ??= (async () => {
      try {
        const lost = await this.deps.store.overdue(this.deps.clock.now().getTime() - SWEEP_AFTER_MS, SWEEP_BATCH);
        if (lost.length) {
          this.deps.logger.debug({ count: lost.length }, 'webhook sweep: re-queueing overdue deliveries');
          await this.add(lost);
        }
      } catch (error) {
        this.deps.logger.warn({ err: error }, 'webhook sweep failed');
      } finally {
        this.sweeping = null;
      }
    })();
    return this.sweeping;
  }

  /** A ping through the producer connection, for /readyz; a Redis slower than a second to answer counts as down. */
  async ready(): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS)));
    try {
      await Promise.race([this.queue().waitUntilReady(), timeout]);
      await Promise.race([this.producer!.connection.ping(), timeout]);
      return 'ok';
    } catch {
      return 'unreachable';
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    await this.sweeping;
    if (this.worker) {
      const closing = this.worker.close();
      await this.inFlight.drain(this.options.closeGraceMs, this.options.cutOff);
      await closing;
    }
    await this.producer?.queue.close();
    for (const connection of [this.producer?.connection, this.workerConnection]) {
      if (connection && connection.status !== 'end') await connection.quit().catch(() => connection.disconnect());
    }
  }
}
