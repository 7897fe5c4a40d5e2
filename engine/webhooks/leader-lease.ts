import type { Knex } from 'knex';
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
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly name: string,
    readonly ttlMs: number,
  ) {}

  /** True while this process holds the lease; renews it when a third of it has passed. */
  async hold(): Promise<boolean> {
    const now = this.clock.now().getTime();
    if (this.heldUntil - now > (this.ttlMs * 2) / 3) return true;
    const expires = now + this.ttlMs;
    await this.db('webhook_locks').insert({ name: this.name, holder: this.holder, expires_at: 0 }).onConflict('name').ignore();
    const taken = await this.db('webhook_locks')
      .where({ name: this.name })
      .andWhere((q) => q.where({ holder: this.holder }).orWhere('expires_at', '<=', now))
      .update({ holder: this.holder, expires_at: expires });
    this.heldUntil = taken === 1 ? expires : 0;
    return taken === 1;
  }

  async release(): Promise<void> {
    this.heldUntil = 0;
    await this.db('webhook_locks').where({ name: this.name, holder: this.holder }).delete();
  }
}
