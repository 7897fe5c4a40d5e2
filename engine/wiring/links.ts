import { LinkDomains } from '../domain/links/domains';
import { LinkService } from '../domain/links/service';
import type { PlanLimits } from '../domain/plans';
import type { Foundation } from './foundation';

export interface LinkParts {
  links: LinkService;
  /** Which domains a workspace's links may use; what stays on a custom domain keeps it from being deleted. */
  linkDomains: LinkDomains;
}

export function wireLinks({ config, db, clock, outbox, linkChanges, paginator }: Foundation, planLimits: PlanLimits): LinkParts {
  const linkDomains = new LinkDomains(db, config.defaultDomain);
  return { linkDomains, links: new LinkService(db, clock, linkDomains, outbox, linkChanges, paginator, planLimits) };
}
