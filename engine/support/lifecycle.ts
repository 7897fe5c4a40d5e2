type Task = () => Promise<void> | void;

/** Start and stop hooks of the engine's background parts, run in order on start and in reverse on close. */
export class Lifecycle {
  private readonly starters: Task[] = [];
  private readonly stoppers: Task[] = [];

  onStart(task: Task): void {
    this.starters.push(task);
  }

  onClose(task: Task): void {
    this.stoppers.push(task);
  }

  async start(): Promise<void> {
    for (const task of this.starters) await task();
  }

  async close(): Promise<void> {
    for (const task of [...this.stoppers].reverse()) await task();
  }
}
