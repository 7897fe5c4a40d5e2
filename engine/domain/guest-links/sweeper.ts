import type { GuestLinkStore } from '../../store/guest-links';
import type { Clock } from '../../support/time';
import type { GuestLinkService } from './service';

const BATCH = 100;
const MAX_BATCHES_PER_RUN = 50;

/** How often to sweep: a tenth of the lifetime, from every second to every minute. */
export const sweepInterval = (lifetimeMs: number): number => Math.min(60_000, Math.max(1000, Math.floor(lifetimeMs / 10)));

/**
 * Deletes guest links that have expired or outlived the guest lifetime (even if an admin of the guest workspace moved
 * their expiry later), one by one through the link service, so each is audited as the system and announced. Runs
 * whether or not guest links are on: turning them off never leaves old ones behind. Several processes may sweep at
 * once; a link another one deleted first is skipped.
 */
export class GuestLinkSweeper {
  constructor(
    private readonly store: GuestLinkStore,
    private readonly guests: GuestLinkService,
    private readonly clock: Clock,
  ) {}

  async sweep(): Promise<number> {
    let deleted = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
      const now = this.clock.now().getTime();
      const due = await this.store.due(now, now - this.guests.settings.lifetimeMs, BATCH);
      for (const link of due) if (await this.guests.delete(link)) deleted++;
      if (due.length < BATCH) break;
    }
    return deleted;
  }
}
