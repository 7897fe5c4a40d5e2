import type { Services } from '../../services';
import type { AnyRoute } from '../route';
import { auditLogRoutes } from './audit-logs';
import { keyRoutes } from './keys';
import { linkRoutes } from './links';
import { meRoutes } from './me';
import { pageRoutes } from './pages';
import { qrRoutes } from './qr';
import { usageRoutes } from './usage';
import { webhookRoutes } from './webhooks';

/** Every API route of the engine; the router and the OpenAPI document are both built from this list. */
export const apiRoutes = (services: Services): AnyRoute[] => [
  ...meRoutes(services),
  ...keyRoutes(services),
  ...linkRoutes(services),
  ...qrRoutes(services),
  ...pageRoutes(services),
  ...usageRoutes(services),
  ...auditLogRoutes(services),
  ...webhookRoutes(services),
];
