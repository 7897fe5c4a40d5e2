/** Runs `task` every `everyMs` (the first time after `firstMs`), never two runs at once; `close()` waits for a run. */
export class PeriodicTask<T> {
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<T> | null = null;

  constructor(
    private readonly task: () => Promise<T>,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(everyMs: number, firstMs = everyMs): void {
    if (this.timers.length) return;
    const tick = () => void this.run().catch(this.onError);
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
