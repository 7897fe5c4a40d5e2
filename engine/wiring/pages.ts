import type { LinkDomains } from '../domain/links/domains';
import { PageService } from '../domain/pages/service';
import type { PlanLimits } from '../domain/plans';
import type { LinkStore } from '../store/links';
import { PageStore } from '../store/pages';
import type { Foundation } from './foundation';

export function wirePages(
  { db, transactions, clock, outbox, linkChanges, paginator }: Foundation,
  linkStore: LinkStore,
  linkDomains: LinkDomains,
  planLimits: PlanLimits,
): PageService {
  return new PageService(new PageStore(db), linkStore, transactions, clock, linkDomains, outbox, linkChanges, paginator, planLimits);
}
