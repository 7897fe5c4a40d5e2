import { LinkDomains } from '../domain/links/domains';
import { LinkService } from '../domain/links/service';
import { LinkBulkOperations } from '../domain/links/bulk';
import type { PlanLimits } from '../domain/plans';
import { CustomDomainStore } from '../store/custom-domains';
import type { LinkStore } from '../store/links';
import type { Foundation } from './foundation';

export interface LinkParts {
  links: LinkService;
  linkBulk: LinkBulkOperations;
  /** Which domains a workspace's links may use; what stays on a custom domain keeps it from being deleted. */
  linkDomains: LinkDomains;
}

export function wireLinks(
  { db, transactions, clock, outbox, linkChanges, paginator, instanceDomain }: Foundation,
  linkStore: LinkStore,
  planLimits: PlanLimits,
): LinkParts {
  const linkDomains = new LinkDomains(new CustomDomainStore(db), instanceDomain, linkStore);
  const links = new LinkService(linkStore, transactions, clock, linkDomains, outbox, linkChanges, paginator, planLimits);
  return { linkDomains, links, linkBulk: new LinkBulkOperations(links, linkStore, linkDomains) };
}
