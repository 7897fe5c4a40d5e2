import { LinkDomains } from '../domain/links/domains';
import { LinkService } from '../domain/links/service';
import { LinkBulkOperations } from '../domain/links/bulk';
import type { PlanLimits } from '../domain/plans';
import { RuleService } from '../domain/routing/rule-service';
import { RuleStore } from '../store/link-rules';
import { CustomDomainStore } from '../store/custom-domains';
import type { LinkStore } from '../store/links';
import type { LinkOrganizer } from '../domain/links/organization';
import type { Foundation } from './foundation';

export interface LinkParts {
  links: LinkService;
  linkBulk: LinkBulkOperations;
  /** Which domains a workspace's links may use; what stays on a custom domain keeps it from being deleted. */
  linkDomains: LinkDomains;
  /** Smart routing rules; `link.updated` events carry them. */
  rules: RuleService;
}

export function wireLinks(
  { db, transactions, clock, outbox, linkChanges, paginator, instanceDomain }: Foundation,
  linkStore: LinkStore,
  planLimits: PlanLimits,
  organizer: LinkOrganizer | null = null,
): LinkParts {
  const linkDomains = new LinkDomains(new CustomDomainStore(db), instanceDomain, linkStore);
  const rules = new RuleService(linkStore, new RuleStore(db), transactions, clock, linkDomains, outbox, linkChanges);
  const links = new LinkService(linkStore, transactions, clock, linkDomains, outbox, linkChanges, paginator, planLimits, rules.eventExtras, organizer);
  return { linkDomains, rules, links, linkBulk: new LinkBulkOperations(links, linkStore, linkDomains) };
}
