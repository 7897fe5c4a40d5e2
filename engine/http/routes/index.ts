import type { ApiServices } from './deps';
import type { AnyRoute } from '../route';
import { analyticsRoutes } from './analytics';
import { auditLogRoutes } from './audit-logs';
import { authRoutes } from './auth';
import { domainCheckRoutes } from './domain-check';
import { domainRoutes } from './domains';
import { keyRoutes } from './keys';
import { linkRoutes } from './links';
import { memberRoutes } from './members';
import { meRoutes } from './me';
import { pageRoutes } from './pages';
import { qrRoutes } from './qr';
import { usageRoutes } from './usage';
import { webhookRoutes } from './webhooks';
import { workspaceRoutes } from './workspace';

/** Every API route of the engine; the router and the OpenAPI document are both built from this list. */
export const apiRoutes = (services: ApiServices): AnyRoute[] => [
  ...meRoutes(services),
  ...keyRoutes(services),
  ...linkRoutes(services),
  ...qrRoutes(services),
  ...pageRoutes(services),
  ...domainRoutes(services),
  ...domainCheckRoutes(services),
  ...memberRoutes(services),
  ...workspaceRoutes(services),
  ...analyticsRoutes(services),
  ...usageRoutes(services),
  ...auditLogRoutes(services),
  ...webhookRoutes(services),
  ...authRoutes(services),
];
