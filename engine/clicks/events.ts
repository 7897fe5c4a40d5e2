import type { Outbox, OutboxEvent } from '../domain/outbox';
import type { Clock } from '../support/time';
import { toIso } from '../support/time';
import type { FlushListener, RecordedClick } from './types';

export function clickRecordedData(click: RecordedClick): Record<string, unknown> {
  return {
    click_id: click.id,
    link_id: click.linkId,
    short_url: click.shortUrl,
    url: click.url,
    slug: click.slug,
    domain: click.domain,
    timestamp: toIso(click.at),
    referrer: click.referrer,
    country: click.country,
    device: click.device,
    browser: click.browser,
    os: click.os,
  };
}

/**
 * The publish-point listener that turns counted clicks into `click.recorded` events in the same transaction. Only
 * the clicks of workspaces someone takes these events from are turned into messages: most workspaces subscribe to
 * none, and building a message per click would be most of a flush's work.
 */
export function clickRecordedEvents(outbox: Outbox, clock: Clock): FlushListener {
  return async (trx, clicks) => {
    const counted = clicks.filter((click) => click.counted);
    const wanted = await outbox.wanted(trx, 'click.recorded', counted);
    if (wanted.live.size === 0 && wanted.test.size === 0) return;
    const events: OutboxEvent[] = counted
      .filter((click) => wanted[click.mode].has(click.workspaceId))
      .map((click) => ({ workspaceId: click.workspaceId, mode: click.mode, type: 'click.recorded', data: clickRecordedData(click) }));
    await outbox.enqueue(trx, events, clock.now());
  };
}
