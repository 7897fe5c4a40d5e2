import type { ApiServices } from './deps';
import type { AnyRoute } from '../route';
import { analyticsRoutes } from './analytics';
import { auditLogRoutes } from './audit-logs';
import { authRoutes } from './auth';
import { domainCheckRoutes } from './domain-check';
import { domainRoutes } from './domains';
import { guestLinkRoutes } from './guest-links';
import { keyRoutes } from './keys';
import { linkRoutes } from './links';
import { linkBulkRoutes } from './link-bulk';
import { importRoutes } from './imports';
import { linkExportRoutes } from './link-export';
import { memberRoutes } from './members';
import { meRoutes } from './me';
import { pageRoutes } from './pages';
import { qrRoutes } from './qr';
import { routingRoutes } from './routing';
import { usageRoutes } from './usage';
import { webhookRoutes } from './webhooks';
import { workspaceRoutes } from './workspace';
import { organizationRoutes } from './organization';
import { conversionRoutes } from './conversions';

/** Every API route of the engine; the router and the OpenAPI document are both built from this list. */
export const apiRoutes = (services: ApiServices): AnyRoute[] => [
  ...meRoutes(services),
  ...keyRoutes(services),
  ...linkBulkRoutes(services),
  ...linkExportRoutes(services),
  ...linkRoutes(services),
  ...guestLinkRoutes(services),
  ...routingRoutes(services),
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
  ...importRoutes(services),
  ...authRoutes(services),
  ...organizationRoutes(services),
  ...conversionRoutes(services),
];
