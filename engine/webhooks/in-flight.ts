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
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.allSettled([...this.running]), grace]);
    clearTimeout(timer);
    cutOff();
    await Promise.allSettled([...this.running]);
  }
}
