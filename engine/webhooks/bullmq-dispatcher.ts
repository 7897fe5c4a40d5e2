import { Queue, Worker, type Job } from 'bullmq';
import IORedis, { type Redis } from 'ioredis';
import type { DueDelivery } from './delivery-store';
import type { DispatchDeps, Dispatcher } from './dispatcher';
import { InFlight } from './in-flight';

const QUEUE_NAME = 'webhook-deliveries';
// A pending row this long past due while no job ran it: its job was lost (Redis restart, FLUSHALL, a dead worker).
const SWEEP_AFTER_MS = 5_000;
const SWEEP_BATCH = 1_000;
const READY_TIMEOUT_MS = 1_000;

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

/**
 * Dispatch through BullMQ. Jobs carry only a delivery id; the worker claims the row in the database (a lease), so a
 * duplicate or stale job is a no-op. Job ids are `<delivery>-<available_at>`: one job per lease generation, so the
 * sweeper can re-add what Redis lost without ever queueing a delivery twice for the same turn.
 */
export class BullDispatcher implements Dispatcher {
  private producer: { connection: Redis; queue: Queue } | null = null;
  private worker: Worker | null = null;
  private workerConnection: Redis | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private closed = false;
  private readonly inFlight = new InFlight();

  constructor(
    private readonly deps: DispatchDeps,
    private readonly options: BullOptions,
  ) {}

  private connect(blocking: boolean): Redis {
    // Producers fail fast while Redis is away (the sweeper recovers); workers wait for it.
    const connection = new IORedis(this.options.redisUrl, blocking ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    connection.on('error', (error) => this.deps.logger.warn({ err: error }, 'webhook queue: Redis connection error'));
    return connection;
  }

  private queue(): Queue {
    if (!this.producer) {
      const connection = this.connect(false);
      const queue = new Queue(QUEUE_NAME, { connection, prefix: this.options.prefix });
      queue.on('error', (error) => this.deps.logger.warn({ err: error }, 'webhook queue error'));
      this.producer = { connection, queue };
    }
    return this.producer.queue;
  }

  notify(deliveries: DueDelivery[]): void {
    if (this.closed || deliveries.length === 0) return;
    this.add(deliveries).catch((error: unknown) => this.deps.logger.warn({ err: error, count: deliveries.length }, 'webhook queue: could not add jobs; the sweeper will'));
  }

  private async add(deliveries: DueDelivery[]): Promise<void> {
    const now = this.deps.clock.now().getTime();
    await this.queue().addBulk(
      deliveries.map((delivery) => ({
        name: 'deliver',
        data: { id: delivery.id },
        opts: {
          jobId: `${delivery.id}-${delivery.availableAt}`,
          delay: Math.max(0, delivery.availableAt - now),
          removeOnComplete: true,
          removeOnFail: true,
          attempts: 5,
          backoff: { type: 'exponential', delay: 200 },
        },
      })),
    );
  }

  async startWorkers(): Promise<void> {
    if (this.worker) return;
    this.workerConnection = this.connect(true);
    this.worker = new Worker(QUEUE_NAME, (job: Job<{ id: string }>) => this.process(job), {
      connection: this.workerConnection,
      prefix: this.options.prefix,
      concurrency: this.options.concurrency,
      // Jobs a dead worker had taken but not yet claimed keep their id, so the sweeper cannot re-add them: BullMQ's
      // own stalled-job check returns them to the queue, within a lease's time. Whoever claims the row delivers;
      // the stalled-job limit must never drop a delivery.
      lockDuration: this.options.leaseMs,
      stalledInterval: this.options.leaseMs,
      maxStalledCount: 100,
    });
    this.worker.on('error', (error) => this.deps.logger.warn({ err: error }, 'webhook worker error'));
    this.worker.on('failed', (job, error) => {
      if (!(error instanceof NotYetVisible)) this.deps.logger.warn({ err: error, job: job?.id }, 'webhook job failed');
    });
    this.sweeper = setInterval(() => void this.sweep(), this.options.sweepIntervalMs);
    void this.sweep();
  }

  private async process(job: Job<{ id: string }>): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const claimed = await this.deps.store.claim(job.data.id, now, now + this.options.leaseMs);
    if (claimed) {
      const attempt = this.deps.runner.run(claimed);
      this.inFlight.track(attempt.catch(() => undefined));
      return attempt;
    }
    // Not claimable: done already, held by a live lease, or not committed yet. Only the last is worth a retry.
    if (!(await this.deps.store.find(job.data.id))) throw new NotYetVisible(`delivery ${job.data.id} is not visible yet`);
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
