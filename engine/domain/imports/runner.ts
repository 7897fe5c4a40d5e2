import type { ImportStore } from '../../store/imports';
import type { Logger } from '../../support/logger';
import { PeriodicTask } from '../../support/periodic-task';
import type { Clock } from '../../support/time';
import type { ImportProcessor, ImportProgress } from './processor';

/**
 * Runs import jobs in the background of every engine process: a job is taken with a lease (so one process works on
 * it), renewed by each committed chunk. A process that dies (SIGKILL) stops renewing; once the lease has run out another
 * process (or this one, restarted) takes the job over at its cursor. `close()` stops between chunks and hands the job on.
 */
export class ImportRunner {
  private readonly task: PeriodicTask<void>;
  private stopping = false;
  private readonly held = new Set<string>();

  constructor(
    private readonly store: ImportStore,
    private readonly processor: ImportProcessor,
    private readonly clock: Clock,
    private readonly leaseMs: number,
    logger: Logger,
    pollMs = 1000,
  ) {
    this.task = new PeriodicTask(() => this.poll(), { everyMs: pollMs, firstMs: 50, onError: (error) => logger.error({ err: error }, 'import run failed') });
  }

  start(): void {
    this.stopping = false;
    this.task.start();
  }

  /** Looks for work now (a job was just created). */
  kick(): void {
    if (!this.stopping) void this.task.run().catch(() => undefined);
  }

  /**
   * Takes the job if nobody holds it and runs it to the end here, reporting each committed chunk. False when another
   * process holds it.
   */
  async runNow(id: string, onProgress?: (progress: ImportProgress) => void): Promise<boolean> {
    const now = this.clock.now().getTime();
    if (!(await this.store.claim(id, now, now + this.leaseMs))) return false;
    this.held.add(id);
    try {
      await this.processor.run(id, () => this.stopping, onProgress);
      if (this.stopping) await this.store.release(id);
    } finally {
      this.held.delete(id);
    }
    return true;
  }

  async close(): Promise<void> {
    this.stopping = true;
    await this.task.close();
    for (const id of this.held) await this.store.release(id).catch(() => undefined);
  }

  private async poll(): Promise<void> {
    for (const id of await this.store.claimable(this.clock.now().getTime())) {
      if (this.stopping) return;
      await this.runNow(id);
    }
  }
}
