import type { WebhookLockStore } from '../store/webhook-locks';
import { randomToken } from '../support/crypto';
import type { Clock } from '../support/time';

/**
 * A named lease in the database that one holder at a time may keep by renewing it: how a single polling dispatcher
 * is kept per SQLite database across processes. A holder that dies loses it when it expires.
 */
export class LeaderLease {
  private heldUntil = 0;
  private readonly holder = randomToken(12);

  constructor(
    private readonly locks: WebhookLockStore,
    private readonly clock: Clock,
    private readonly name: string,
    readonly ttlMs: number,
  ) {}

  /** True while this process holds the lease; renews it when a third of it has passed. */
  async hold(): Promise<boolean> {
    const now = this.clock.now().getTime();
    if (this.heldUntil - now > (this.ttlMs * 2) / 3) return true;
    const expires = now + this.ttlMs;
    const taken = await this.locks.take(this.name, this.holder, now, expires);
    this.heldUntil = taken ? expires : 0;
    return taken;
  }

  async release(): Promise<void> {
    this.heldUntil = 0;
    await this.locks.release(this.name, this.holder);
  }
}
