import { settlesWithin } from '../support/deadlines';

/** The attempts a dispatcher has running, so closing can wait for them, then cut off the stragglers. */
export class InFlight {
  private readonly running = new Set<Promise<void>>();

  get size(): number {
    return this.running.size;
  }

  track(work: Promise<void>, onDone: () => void = () => undefined): void {
    const tracked = work.finally(() => {
      this.running.delete(tracked);
      onDone();
    });
    this.running.add(tracked);
  }

  /** Waits up to `graceMs` for running attempts; then calls `cutOff` (which makes them end) and waits for the rest. */
  async drain(graceMs: number, cutOff: () => void): Promise<void> {
    await settlesWithin(Promise.allSettled([...this.running]), graceMs);
    cutOff();
    await Promise.allSettled([...this.running]);
  }
}
