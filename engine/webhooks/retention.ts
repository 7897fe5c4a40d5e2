import type { WebhookRetentionStore } from '../store/webhook-retention';
import type { Logger } from '../support/logger';
import { PeriodicTask } from '../support/periodic-task';
import type { Clock } from '../support/time';

const BATCH = 1_000;

/** run() deletes at once and answers how many rows went. */
export type WebhookRetention = PeriodicTask<number>;

/**
 * Keeps the delivery log and the messages it refers to for WEBHOOK_RETENTION, then deletes them in small batches,
 * every hour once started. Pending deliveries, and messages any remaining delivery refers to, are kept whatever
 * their age.
 */
export function webhookRetention(store: WebhookRetentionStore, clock: Clock, logger: Logger, retentionMs: number): WebhookRetention {
  const deleteOld = async () => {
    const before = clock.now().getTime() - retentionMs;
    const deliveries = await store.deleteSettledDeliveries(before, BATCH);
    const messages = await store.deleteUnreferencedMessages(before, BATCH);
    const deleted = deliveries + messages;
    if (deleted) logger.info({ deleted }, 'webhook retention: deleted old deliveries and messages');
    return deleted;
  };
  return new PeriodicTask(deleteOld, { everyMs: 3_600_000, onError: (error) => logger.warn({ err: error }, 'webhook retention failed') });
}
