import type { Services } from '../../services';
import type { AnyRoute } from '../route';
import { analyticsRoutes } from './analytics';
import { auditLogRoutes } from './audit-logs';
import { keyRoutes } from './keys';
import { linkRoutes } from './links';
import { meRoutes } from './me';
import { usageRoutes } from './usage';
import { webhookRoutes } from './webhooks';

/** Every API route of the engine; the router and the OpenAPI document are both built from this list. */
export const apiRoutes = (services: Services): AnyRoute[] => [
  ...meRoutes(services),
  ...keyRoutes(services),
  ...linkRoutes(services),
  ...analyticsRoutes(services),
  ...usageRoutes(services),
  ...auditLogRoutes(services),
  ...webhookRoutes(services),
];
