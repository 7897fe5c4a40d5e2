export interface Schedule {
  everyMs: number;
  /** The first run after start (default: everyMs). */
  firstMs?: number;
  /** A failed scheduled run is reported here; run() callers get the rejection. */
  onError(error: unknown): void;
}

/** Runs `task` on a schedule once started, never two runs at once; `close()` waits for a run. */
export class PeriodicTask<T> {
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<T> | null = null;

  constructor(
    private readonly task: () => Promise<T>,
    private readonly schedule: Schedule,
  ) {}

  start(): void {
    if (this.timers.length) return;
    const { everyMs, firstMs = everyMs, onError } = this.schedule;
    const tick = () => void this.run().catch(onError);
    this.timers = [setInterval(tick, everyMs).unref()];
    if (firstMs < everyMs) this.timers.push(setTimeout(tick, firstMs).unref());
  }

  /** Runs now, or joins the run under way. */
  run(): Promise<T> {
    this.running ??= this.task().finally(() => (this.running = null));
    return this.running;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
    await this.running;
  }
}
