import type { RuleStore } from '../store/link-rules';
import type { LinkStore } from '../store/links';
import type { KnownDomain } from './hosts';
import { resolveLink, type LinkExtras, type ResolvedLink } from './links';
import { compileRouting } from './routing';

/** The link with its routing compiled, for the redirect cache: one more query (its rules, by link id) per cache miss. */
export async function findRoutedLink(links: LinkStore, rules: RuleStore, domain: KnownDomain, slug: string, extras?: LinkExtras): Promise<ResolvedLink | null> {
  const row = await links.findForRedirect(domain.hostname, slug);
  if (!row) return null;
  const link = await resolveLink(row, domain, extras);
  link.routing = compileRouting(row, await rules.ofLink(row.id));
  return link;
}
