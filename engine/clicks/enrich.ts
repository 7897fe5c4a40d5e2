import { newId } from '../support/ids';
import { bounded, LIMITS } from './bounds';
import type { CapturedClick, RecordedClick } from './types';
import type { UserAgentClassifier } from './user-agents';

function referrerOf(raw: string | null): { referrer: string | null; referrerHost: string | null } {
  if (!raw) return { referrer: null, referrerHost: null };
  try {
    const url = new URL(raw);
    return { referrer: raw, referrerHost: url.hostname ? bounded(url.hostname, LIMITS.referrerHost) : null };
  } catch {
    return { referrer: null, referrerHost: null };
  }
}

/** Parses what the redirect captured into the stored click: ids, user agent, referrer host, counted or not. */
export function enrichClick(click: CapturedClick, userAgents: UserAgentClassifier): RecordedClick {
  click.id ??= newId('clk', click.at);
  const agent = userAgents.classify(click.userAgent);
  const { link } = click;
  return {
    id: click.id,
    linkId: link.id,
    workspaceId: link.workspaceId,
    mode: link.mode,
    at: click.at,
    url: click.url,
    shortUrl: link.shortUrl,
    domain: link.domain,
    slug: link.slug,
    ...referrerOf(click.referrer),
    country: click.country,
    device: agent.device,
    browser: agent.browser,
    os: agent.os,
    bot: agent.bot,
    head: click.head,
    visitorHash: click.visitorHash,
    counted: !agent.bot && !click.head,
  };
}
