import type { Engine } from '../../engine';
import type { ClickedLink } from '../../engine/clicks';
import type { Mode } from '../../engine/domain/scopes';
import type { ApiResponse } from './engine';
import { partsOf } from '../../engine/wiring';

export interface HandMadeClick {
  /** ISO time of the click. */
  at: string;
  link: ClickedLink;
  /** A name for the visitor, recorded as its address: the engine hashes it with the day's salt, as for real visits. */
  visitor: string;
  userAgent: string;
  referrer?: string;
  country?: string;
  head?: boolean;
}

/** The link fields a click carries, from the Links API's answer. */
export function clickedLink(link: { id: string; domain: string; slug: string; short_url: string }, workspaceId: string, mode: Mode = 'live'): ClickedLink {
  return { id: link.id, workspaceId, mode, domain: link.domain, slug: link.slug, shortUrl: link.short_url, maxClicks: null };
}

/**
 * Records clicks at chosen times through the real pipeline (recorder → enrichment → writer and every flush listener,
 * rollups included) and waits until they are written: the hand-made counterpart of visiting a short link.
 */
export async function recordClicks(engine: Engine, clicks: HandMadeClick[]): Promise<void> {
  for (const click of clicks) {
    const at = Date.parse(click.at);
    partsOf(engine).clicks.record({
      link: click.link,
      at,
      url: 'https://example.com/landing',
      userAgent: click.userAgent,
      referrer: click.referrer ?? null,
      country: click.country ?? null,
      address: click.visitor,
      head: click.head ?? false,
    });
  }
  await partsOf(engine).clicks.flush();
}

/** A report's time series as [start, clicks, unique_visitors] triples: compact to compare. */
export const seriesOf = (response: ApiResponse) =>
  (response.body.data as Array<{ start: string; clicks: number; unique_visitors: number }>).map((point) => [point.start, point.clicks, point.unique_visitors]);

/** A breakdown as [value, clicks, unique_visitors] triples. */
export const groupsOf = (response: ApiResponse) =>
  (response.body.data as Array<{ value: string | null; clicks: number; unique_visitors: number }>).map((group) => [group.value, group.clicks, group.unique_visitors]);
