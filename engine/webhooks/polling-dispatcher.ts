import type { DispatchDeps, Dispatcher } from './dispatcher';
import { InFlight } from './in-flight';
import type { LeaderLease } from './leader-lease';

export interface PollingOptions {
  concurrency: number;
  pollIntervalMs: number;
  leaseMs: number;
  /** How long close() lets running attempts finish before cutting them off. */
  closeGraceMs: number;
  /** Set on SQLite: only the holder of this lease dispatches. */
  leader: LeaderLease | null;
  cutOff: () => void;
}

/**
 * The dispatcher without Redis: claims due rows straight from the database (FOR UPDATE SKIP LOCKED on Postgres, so
 * any number of processes can poll), runs up to `concurrency` attempts at once, and is woken early by this process's
 * own new deliveries. A lease that expired (its worker died) makes a row due again, so nothing needs sweeping.
 */
export class PollingDispatcher implements Dispatcher {
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private readonly inFlight = new InFlight();

  constructor(
    private readonly deps: DispatchDeps,
    private readonly options: PollingOptions,
  ) {}

  notify(): void {
    this.wake();
  }

  async startWorkers(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  private wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = null;
    wakeUp?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  private async run(): Promise<void> {
    const { concurrency, pollIntervalMs, leaseMs, leader } = this.options;
    const idle = leader ? Math.min(pollIntervalMs, leader.ttlMs / 3) : pollIntervalMs;
    while (this.running) {
      try {
        if (leader && !(await leader.hold())) {
          await this.sleep(idle);
          continue;
        }
        const free = concurrency - this.inFlight.size;
        if (free > 0) {
          const now = this.deps.clock.now().getTime();
          const claimed = await this.deps.store.claimDue(free, now, now + leaseMs);
          for (const delivery of claimed) {
            this.inFlight.track(
              this.deps.runner.run(delivery).catch((error: unknown) => this.deps.logger.error({ err: error, delivery: delivery.id }, 'webhook attempt failed to record')),
              // Refill in batches rather than one poll per finished attempt.
              () => this.inFlight.size <= concurrency / 2 && this.wake(),
            );
          }
          if (claimed.length === free) continue;
        }
        await this.sleep(idle);
      } catch (error) {
        if (!this.running) break;
        this.deps.logger.error({ err: error }, 'webhook dispatcher poll failed');
        await this.sleep(pollIntervalMs);
      }
    }
  }

  async close(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loop;
    await this.inFlight.drain(this.options.closeGraceMs, this.options.cutOff);
    await this.options.leader?.release();
  }
}
