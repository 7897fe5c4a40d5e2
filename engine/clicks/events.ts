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

/** The publish-point listener that turns counted clicks into `click.recorded` events in the same transaction. */
export function clickRecordedEvents(outbox: Outbox, clock: Clock): FlushListener {
  return async (trx, clicks) => {
    const events: OutboxEvent[] = [];
    for (const click of clicks) {
      if (click.counted) events.push({ workspaceId: click.workspaceId, mode: click.mode, type: 'click.recorded', data: clickRecordedData(click) });
    }
    await outbox.enqueue(trx, events, clock.now());
  };
}
