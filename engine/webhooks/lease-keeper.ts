import type { ClaimedDelivery, DeliveryStore } from '../store/webhook-deliveries';
import type { Logger } from '../support/logger';
import type { Clock } from '../support/time';

/**
 * Heartbeats for claimed deliveries: while attempts run, one statement every `everyMs` extends all their leases by
 * `leaseMs`. A lease can then be short — a dead worker's claims expire within `leaseMs` and another worker takes them
 * over — while a live attempt, however slow (up to WEBHOOK_TIMEOUT), keeps its delivery to itself.
 */
export class LeaseKeeper {
  private readonly held = new Set<ClaimedDelivery>();
  private timer: NodeJS.Timeout | null = null;
  private renewing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: DeliveryStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    readonly leaseMs: number,
    private readonly everyMs: number,
  ) {}

  hold(claimed: ClaimedDelivery): void {
    this.held.add(claimed);
    if (!this.timer) {
      this.timer = setInterval(() => (this.renewing = this.renewing.then(() => this.renew())), this.everyMs);
      this.timer.unref();
    }
  }

  /**
   * Stops renewing `claimed` and waits for a renewal in flight, so that its `lease` is the one in the database when
   * its outcome is recorded.
   */
  async release(claimed: ClaimedDelivery): Promise<void> {
    this.held.delete(claimed);
    if (this.held.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    await this.renewing;
  }

  private async renew(): Promise<void> {
    const items = [...this.held];
    if (items.length === 0) return;
    const lease = this.clock.now().getTime() + this.leaseMs;
    try {
      const renewed = await this.store.renew(items.map((claimed) => ({ id: claimed.id, lease: claimed.lease })), lease);
      for (const claimed of items) {
        if (renewed.has(claimed.id)) claimed.lease = lease;
        // Lost (this process stalled past its lease and another worker took it): its outcome will not be recorded.
        else this.held.delete(claimed);
      }
    } catch (error) {
      this.logger.warn({ err: error, count: items.length }, 'webhook lease renewal failed; retrying');
    }
  }
}
