import { LinkDomains } from '../domain/links/domains';
import { LinkService } from '../domain/links/service';
import type { PlanLimits } from '../domain/plans';
import { CustomDomainStore } from '../store/custom-domains';
import type { LinkStore } from '../store/links';
import type { LinkOrganizer } from '../domain/links/organization';
import type { Foundation } from './foundation';

export interface LinkParts {
  links: LinkService;
  /** Which domains a workspace's links may use; what stays on a custom domain keeps it from being deleted. */
  linkDomains: LinkDomains;
}

export function wireLinks(
  { config, db, transactions, clock, outbox, linkChanges, paginator }: Foundation,
  linkStore: LinkStore,
  planLimits: PlanLimits,
  organizer: LinkOrganizer | null = null,
): LinkParts {
  const linkDomains = new LinkDomains(new CustomDomainStore(db), config.defaultDomain, linkStore);
  return { linkDomains, links: new LinkService(linkStore, transactions, clock, linkDomains, outbox, linkChanges, paginator, planLimits, organizer) };
}
