import type { Knex } from 'knex';

/** The SQL of named leases in `webhook_locks`: one holder at a time, until `expires_at`. */
export class WebhookLockStore {
  constructor(private readonly db: Knex) {}

  /** Takes (or renews) `name` for `holder` until `expires` if it is free, expired at `now`, or already the holder's. */
  async take(name: string, holder: string, now: number, expires: number): Promise<boolean> {
    await this.db('webhook_locks').insert({ name, holder, expires_at: 0 }).onConflict('name').ignore();
    const taken = await this.db('webhook_locks')
      .where({ name })
      .andWhere((q) => q.where({ holder }).orWhere('expires_at', '<=', now))
      .update({ holder, expires_at: expires });
    return taken === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.db('webhook_locks').where({ name, holder }).delete();
  }
}
