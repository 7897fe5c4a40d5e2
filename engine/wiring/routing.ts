import type { CustomDomainService } from '../domain/custom-domains';
import { DeepLinkService } from '../domain/routing/deep-links';
import { DeepLinkStore } from '../store/domain-deep-links';
import type { Foundation } from './foundation';

/** Per-domain deep-link files: set through the API, served on `/.well-known/` (wiring/app.ts). */
export function wireDeepLinks({ db, transactions, clock }: Foundation, domains: CustomDomainService): DeepLinkService {
  return new DeepLinkService(new DeepLinkStore(db), transactions, clock, (workspaceId, id) => domains.get(workspaceId, id));
}
