import { GuestLinkService } from '../domain/guest-links/service';
import { GuestLinkSweeper, sweepInterval } from '../domain/guest-links/sweeper';
import { GuestWorkspace } from '../domain/guest-links/workspace';
import type { LinkService } from '../domain/links/service';
import type { RateLimiter } from '../ratelimit/limiter';
import { GuestLinkStore } from '../store/guest-links';
import { WorkspaceStore } from '../store/workspaces';
import { PeriodicTask } from '../support/periodic-task';
import type { Foundation } from './foundation';

export interface GuestLinkParts {
  guestLinks: GuestLinkService;
  guestWorkspace: GuestWorkspace;
  guestSweeper: GuestLinkSweeper;
}

/**
 * Guest links: counted on the strict (fail-closed) limiter; the sweeper runs in every engine process, on or off, so
 * guest links made before the switch was turned off still go. With guest links on, a MASK_GUEST_WORKSPACE that
 * names no workspace stops the start; without it, the first guest link makes the guest workspace.
 */
export function wireGuestLinks({ config, db, transactions, clock, logger, lifecycle }: Foundation, links: LinkService, limiter: RateLimiter): GuestLinkParts {
  const store = new GuestLinkStore(db);
  const guestWorkspace = new GuestWorkspace(store, new WorkspaceStore(db), transactions, clock, config.guestWorkspace);
  const hostOf = (domain: string) => domain.replace(/:\d+$/, '');
  const guestLinks = new GuestLinkService(links, guestWorkspace, limiter, clock, {
    enabled: config.guestLinks,
    lifetimeMs: config.guestLinkLifetime,
    unitsPerHour: config.guestLinksPerHour,
    deniedHosts: config.guestDeniedHosts,
    ownHosts: [hostOf(config.defaultDomain)],
  });
  const guestSweeper = new GuestLinkSweeper(store, guestLinks, clock);
  const sweeping = new PeriodicTask(() => guestSweeper.sweep(), {
    everyMs: sweepInterval(config.guestLinkLifetime),
    onError: (error) => logger.warn({ err: error }, 'deleting expired guest links failed'),
  });
  lifecycle.onStart(async () => {
    if (config.guestLinks && config.guestWorkspace) {
      const id = await guestWorkspace.id();
      logger.info({ workspace_id: id }, `guest links are on; they live in workspace ${id}`);
    }
    sweeping.start();
  });
  lifecycle.onClose(() => sweeping.close());
  return { guestLinks, guestWorkspace, guestSweeper };
}
