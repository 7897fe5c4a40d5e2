import type { Logger } from '../support/logger';
import type { Clock } from '../support/time';
import type { DeliveryRunner } from './delivery-runner';
import type { DeliveryStore, DueDelivery } from '../store/webhook-deliveries';

/**
 * Moves due deliveries to the runner. Every process can tell it about deliveries it committed (producer side); only
 * processes that run workers consume. Two implementations: BullMQ on Redis, and database polling without Redis.
 */
export interface Dispatcher {
  /** Deliveries this process has just committed or scheduled; delivered soon, or swept later if this is lost. */
  notify(deliveries: DueDelivery[]): void;
  /** Starts consuming: workers and, where needed, the sweeper. */
  startWorkers(): Promise<void>;
  /** Stops consuming; in-flight attempts get a short grace, then are cut off and retried later. */
  close(): Promise<void>;
}

/** What every dispatcher works with. */
export interface DispatchDeps {
  store: DeliveryStore;
  runner: DeliveryRunner;
  clock: Clock;
  logger: Logger;
}
