import type { DeliveryService } from './deliveries';
import type { DeliveryStore } from '../store/webhook-deliveries';
import type { Dispatcher } from './dispatcher';
import type { EndpointService } from './endpoints';
import type { WebhookRetention } from './retention';

/** Webhooks of one engine (built by wiring/webhooks.ts): endpoints, the delivery log and the dispatcher. */
export interface Webhooks {
  endpoints: EndpointService;
  deliveries: DeliveryService;
  /** BullMQ with Redis, database polling without. */
  dispatcher: Dispatcher;
  store: DeliveryStore;
  retention: WebhookRetention;
}
