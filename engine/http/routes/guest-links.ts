import { guestLinkBody } from '../../contracts/guest-links';
import { link } from '../../contracts/links';
import { GUEST_WINDOW_MS } from '../../domain/guest-links/service';
import { clientAddress } from '../../ratelimit/client-address';
import { rateLimitExceeded, writeRateLimitHeaders } from '../../ratelimit/headers';
import { formatDuration } from '../../support/duration';
import { defineRoute } from '../route';
import type { ApiServices } from './deps';

export const guestLinkRoutes = ({ guestLinks, config, clock }: ApiServices) => {
  const { lifetimeMs, unitsPerHour } = guestLinks.settings;
  const body = guestLinkBody({
    allowHttp: config.allowHttpUrls,
    now: () => clock.now().getTime(),
    lifetimeMs,
    dashboardSegment: config.dashboardPath.slice(1),
  });
  return [
    defineRoute({
      method: 'post',
      path: '/links/guest',
      scope: null,
      access: 'public',
      tag: 'Guest links',
      summary: 'Create a guest link (no key)',
      description:
        `Seed 003’s keyless link, when the operator turned guest links on (MASK_GUEST_LINKS; otherwise 403). It expires ` +
        `${formatDuration(lifetimeMs)} after creation at the latest (an earlier expires_at may be given) and is then deleted. ` +
        `Each client address may spend ${unitsPerHour} units an hour (RateLimit policy "guest-links"): a link costs 1, ` +
        '2 with a password; while the limit cannot be counted, guest links are refused (429). Guest links live in the ' +
        'instance’s guest workspace, whose admins see and manage them like any link; quote the link id to report one.',
      body,
      response: link,
      status: 201,
      async handler({ body: draft, req, res, actor }) {
        guestLinks.ensureEnabled();
        guestLinks.checkDestination(draft);
        const verdict = await guestLinks.charge(clientAddress(req), guestLinks.costOf(draft));
        writeRateLimitHeaders(res, 'guest-links', GUEST_WINDOW_MS, verdict, clock.now().getTime());
        if (!verdict.allowed) throw rateLimitExceeded(verdict.retryAfter, 'Too many guest links from this address.');
        return guestLinks.create(draft, actor.requestId);
      },
    }),
  ];
};
