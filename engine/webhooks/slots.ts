/** A counting semaphore for attempts in flight, taken in batches: a worker claims only rows it can start at once. */
export class Slots {
  private readonly waiters: Array<() => void> = [];

  constructor(private free: number) {}

  /** Waits until a slot is free, then takes as many as are free, up to `wanted`. */
  async take(wanted: number): Promise<number> {
    while (this.free === 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
    const taken = Math.min(wanted, this.free);
    this.free -= taken;
    return taken;
  }

  give(count = 1): void {
    this.free += count;
    for (let woken = 0; woken < count && this.waiters.length; woken++) this.waiters.shift()!();
  }
}
