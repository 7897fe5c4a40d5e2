import type { Knex } from 'knex';
import type { Mode } from './links';

/** An enabled endpoint's subscription, as the delivery planner reads it; `events` is the stored JSON array. */
export interface SubscriptionRow {
  id: string;
  workspace_id: string;
  events: string;
}

/** The planner's read of webhook endpoints, inside the transaction that produced the events. */
export class WebhookSubscriptionStore {
  /** The enabled endpoints of these workspaces in `mode`. */
  async enabled(trx: Knex.Transaction, mode: Mode, workspaceIds: string[]): Promise<SubscriptionRow[]> {
    return trx('webhook_endpoints').select('id', 'workspace_id', 'events').whereIn('workspace_id', workspaceIds).andWhere({ mode, enabled: true });
  }
}
