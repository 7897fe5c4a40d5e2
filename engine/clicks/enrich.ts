import { bounded, LIMITS } from './bounds';
import type { IdentifiedClick, RecordedClick } from './types';
import type { UserAgentClassifier } from './user-agents';
import type { VisitorHasher } from './visitors';

function referrerOf(raw: string | null): { referrer: string | null; referrerHost: string | null } {
  if (!raw) return { referrer: null, referrerHost: null };
  try {
    const url = new URL(raw);
    return { referrer: raw, referrerHost: url.hostname ? bounded(url.hostname, LIMITS.referrerHost) : null };
  } catch {
    return { referrer: null, referrerHost: null };
  }
}

/** Parses what the redirect captured into the stored click: ids, user agent, referrer host, visitor hash, counted or not. */
export function enrichClick(click: IdentifiedClick, userAgents: UserAgentClassifier, visitors: VisitorHasher): RecordedClick {
  const agent = userAgents.classify(click.userAgent);
  const { link } = click;
  const bot = agent.bot || click.preview === true;
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
    device: bot ? 'bot' : agent.device,
    browser: agent.browser,
    os: agent.os,
    bot,
    head: click.head,
    visitorHash: visitors.hash(click.address, click.userAgent, click.at),
    counted: !bot && !click.head,
    ruleId: click.ruleId ?? null,
    variant: click.variant ?? null,
  };
}
