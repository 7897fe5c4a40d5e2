import type { Knex } from 'knex';
import { deleteInBatches, idBoundAt } from './pruning';

/** The SQL of webhook retention: settled deliveries, and messages no delivery refers to, older than a time. */
export class WebhookRetentionStore {
  constructor(private readonly db: Knex) {}

  /** Deletes settled deliveries created before `before`, `batch` rows at a time; answers how many went. */
  deleteSettledDeliveries(before: number, batch: number): Promise<number> {
    return deleteInBatches(this.db, 'webhook_deliveries', (q) => q.where('id', '<', idBoundAt('dlv', before)).andWhereNot('status', 'pending'), batch);
  }

  /** Deletes messages created before `before` that no remaining delivery refers to. */
  deleteUnreferencedMessages(before: number, batch: number): Promise<number> {
    return deleteInBatches(
      this.db,
      'events',
      (q) =>
        q
          .where('id', '<', idBoundAt('msg', before))
          .whereNotExists((sub) => sub.select(this.db.raw('1')).from('webhook_deliveries').whereRaw('webhook_deliveries.message_id = events.id')),
      batch,
    );
  }
}
