import { Queue, Worker, type Job, type RedisConnection } from 'bullmq';
import IORedis, { type Redis } from 'ioredis';
import type { DueDelivery } from '../store/webhook-deliveries';
import type { DispatchDeps, Dispatcher } from './dispatcher';
import { closeRedis, REDIS_CLOSE_MS } from '../support/redis-close';
import { settlesWithin, withDeadline } from '../support/deadlines';
import { InFlight } from './in-flight';
import { Slots } from './slots';

const QUEUE_NAME = 'webhook-deliveries';
// A pending row this long past due while no job ran it: its job was lost (Redis restart, FLUSHALL, a dead worker).
const SWEEP_AFTER_MS = 5_000;
const SWEEP_BATCH = 1_000;
// Deliveries per job: one claim statement serves them all.
const JOB_BATCH = 50;
const READY_TIMEOUT_MS = 1_000;
// How often workers check that Redis still holds the queue (the marker key): a Redis restarted empty or flushed is
// noticed within this, and everything pending is queued again at once.
const MARKER_CHECK_MS = 1_000;
// BullMQ's check for jobs of dead workers (their lock, `leaseMs`, expired).
const STALLED_CHECK_MS = 1_000;
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

/**
 * BullMQ sets each Redis connection up once (waits until it is ready, asks the server's version) and reports a failed
 * set-up as an 'error' of the connection, but closing takes every listener off it. A set-up still running then (Redis
 * away, or mid-handshake) fails when the connection ends, with nobody listening: an unhandled rejection, which ends
 * the process. Closed, a queue or worker keeps listening to its connections and ignores what they report.
 */
function keepListening(connections: RedisConnection[]): void {
  for (const connection of connections) connection.on('error', () => undefined);
}

class WebhookQueue extends Queue {
  override async close(): Promise<void> {
    await super.close();
    keepListening([this.connection]);
  }
}

class WebhookWorker extends Worker<JobData> {
  override async close(force?: boolean): Promise<void> {
    await super.close(force);
    // The blocking connection is BullMQ's own (declared private) and disconnected by super.close(); it ends on a later
    // tick or socket event, after super.close() has returned.
    keepListening([this.connection, (this as unknown as { blockingConnection: RedisConnection }).blockingConnection]);
  }

  /**
   * For a close that did not finish in time: stops the lock-renewal timer (BullMQ's own, declared private), which a
   * close stuck before that step would leave re-arming every half second for ever, keeping the process alive. Seen in
   * CI: a test process whose engines had closed did not exit for 16 minutes, its only timer BullMQ's extendLocks.
   */
  stopLockRenewal(): void {
    void (this as unknown as { lockManager: { close(): Promise<void> } }).lockManager.close();
  }
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
  private worker: WebhookWorker | null = null;
  private workerConnection: Redis | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private markerTimer: NodeJS.Timeout | null = null;
  private checkingMarker = false;
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
      const queue = new WebhookQueue(QUEUE_NAME, { connection, prefix: this.options.prefix });
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
  private async add(deliveries: DueDelivery[], tag = ''): Promise<void> {
    await withDeadline(this.addJobs(deliveries, tag), ADD_TIMEOUT_MS, 'Redis did not answer');
  }

  private async addJobs(deliveries: DueDelivery[], tag: string): Promise<void> {
    const now = this.deps.clock.now().getTime();
    await this.queue().addBulk(
      toBatches(deliveries).map(({ ids, availableAt }) => ({
        name: 'deliver',
        data: { ids } satisfies JobData,
        opts: {
          jobId: `${ids[0]}-${availableAt}-${ids.length}${tag}`,
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
    // The first check sets the marker (and, finding none, sweeps everything pending: a first start or an empty Redis).
    void this.checkMarker().then((emptied) => (emptied ? undefined : this.sweep()));
    this.markerTimer = setInterval(() => void this.checkMarker(), MARKER_CHECK_MS);
    // After a reconnection, at once: a Redis that restarted without its data is the common case.
    connection.on('ready', () => void this.checkMarker());
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

  private createWorker(connection: Redis): WebhookWorker {
    const worker = new WebhookWorker(QUEUE_NAME, (job: Job<JobData>) => this.process(job.data.ids), {
      connection,
      prefix: this.options.prefix,
      concurrency: this.options.concurrency,
      // Jobs a dead worker had taken but not yet claimed keep their id, so the sweeper cannot re-add them: BullMQ's
      // own stalled-job check returns them to the queue, within a lease's time. Whoever claims the row delivers;
      // the stalled-job limit must never drop a delivery.
      lockDuration: Math.max(1_000, Math.round((this.options.leaseMs * 2) / 3)),
      stalledInterval: STALLED_CHECK_MS,
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
    if (unclaimed.length === 0) return;
    // Not claimable: done already, held under a lease, or not committed yet. A held one is looked at again when its
    // lease ends: its holder may have died (a live holder renews it, and the job finds it held again or done).
    const held = await this.deps.store.held(unclaimed, this.deps.clock.now().getTime());
    if (held.length) await this.add(held, '-held');
    const missing = await this.deps.store.missing(unclaimed);
    if (missing.length) throw new NotYetVisible(`deliveries ${missing.join(', ')} are not visible yet`);
  }

  /**
   * Sets the marker key if it is missing: true when it was, i.e. Redis lost the queue (restarted empty, flushed, or
   * this is the first start), and then every pending delivery is queued again at once, not on the next sweep.
   */
  private async checkMarker(): Promise<boolean> {
    if (this.closed || this.checkingMarker) return false;
    this.checkingMarker = true;
    try {
      const connection = this.queue() && this.producer!.connection;
      if (connection.status !== 'ready') return false;
      const key = `${this.options.prefix}:${QUEUE_NAME}:mask-marker`;
      const set = await connection.set(key, String(this.deps.clock.now().getTime()), 'NX');
      if (set !== 'OK') return false;
      this.deps.logger.info('webhook queue: Redis holds no queue (restarted empty, flushed or new); re-queueing pending deliveries');
      await this.sweep(Number.MAX_SAFE_INTEGER);
      return true;
    } catch (error) {
      this.deps.logger.debug({ err: error }, 'webhook queue: marker check failed');
      return false;
    } finally {
      this.checkingMarker = false;
    }
  }

  /**
   * Re-adds jobs for pending rows due by `before` (by default: well past due, i.e. whatever the queue lost), a page
   * at a time until none is left.
   */
  sweep(before?: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    const run = async () => {
      try {
        const until = before ?? this.deps.clock.now().getTime() - SWEEP_AFTER_MS;
        let after: DueDelivery | undefined;
        let count = 0;
        while (!this.closed) {
          const page = await this.deps.store.overdue(until, SWEEP_BATCH, after);
          if (page.length) await this.add(page);
          count += page.length;
          if (page.length < SWEEP_BATCH) break;
          after = page[page.length - 1];
        }
        if (count) this.deps.logger.debug({ count }, 'webhook sweep: re-queued pending deliveries');
      } catch (error) {
        this.deps.logger.warn({ err: error }, 'webhook sweep failed');
      }
    };
    // A regular sweep joins a running one; a full sweep (a given `before`) runs after it.
    if (this.sweeping && before === undefined) return this.sweeping;
    const sweeping: Promise<void> = (this.sweeping ?? Promise.resolve()).then(run).finally(() => {
      if (this.sweeping === sweeping) this.sweeping = null;
    });
    this.sweeping = sweeping;
    return sweeping;
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
    if (this.markerTimer) clearInterval(this.markerTimer);
    await this.sweeping;
    if (this.worker) {
      // Without Redis, BullMQ's graceful close never ends: it waits for the 'end' of its blocking connection, which
      // ioredis does not emit for a client disconnected between reconnection attempts, and for commands queued until
      // Redis is back. Forced, it only disconnects; the deliveries stay pending in the database for the sweeper.
      const closing = this.worker.close(this.workerConnection?.status !== 'ready');
      await this.inFlight.drain(this.options.closeGraceMs, this.options.cutOff);
      // Redis may also go away during a graceful close.
      if (!(await settlesWithin(closing, REDIS_CLOSE_MS))) {
        this.worker.stopLockRenewal();
        this.deps.logger.warn('webhook queue: Redis did not answer while closing; disconnected');
      }
    }
    await this.producer?.queue.close();
    for (const connection of [this.producer?.connection, this.workerConnection]) {
      if (connection) await closeRedis(connection);
    }
  }
}
