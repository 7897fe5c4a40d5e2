import type { Services } from '../../services';
import type { AnyRoute } from '../route';
import { keyRoutes } from './keys';
import { meRoutes } from './me';
import { webhookRoutes } from './webhooks';

/** Every API route of the engine; the router and the OpenAPI document are both built from this list. */
export const apiRoutes = (services: Services): AnyRoute[] => [
  ...meRoutes(services),
  ...keyRoutes(services),
  ...webhookRoutes(services),
];
