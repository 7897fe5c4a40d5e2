import type { LinkDomains } from '../domain/links/domains';
import { PageService } from '../domain/pages/service';
import type { PlanLimits } from '../domain/plans';
import type { Foundation } from './foundation';

export function wirePages({ db, clock, outbox, linkChanges, paginator }: Foundation, linkDomains: LinkDomains, planLimits: PlanLimits): PageService {
  return new PageService(db, clock, linkDomains, outbox, linkChanges, paginator, planLimits);
}
