import type { Knex } from 'knex';
import type { EventMessage, EventType, OutboxInterest, OutboxListener } from '../domain/outbox';
import type { Mode } from '../domain/scopes';
import { parseJson } from '../store/db';
import type { Clock } from '../support/time';
import type { DeliveryStore, DueDelivery, NewDelivery } from '../store/webhook-deliveries';
import type { WebhookSubscriptionStore } from '../store/webhook-subscriptions';
import { subscribes } from './endpoints';

/** Runs `then` once the transaction commits (at once outside one); never when it rolls back. */
export function afterCommit(trx: Knex | Knex.Transaction, then: () => void): void {
  const execution = (trx as Partial<Knex.Transaction>).executionPromise;
  if (execution) execution.then(then, () => undefined);
  else then();
}

interface Subscription {
  id: string;
  workspace_id: string;
  events: EventType[];
}

/**
 * The outbox listener that plans webhook deliveries: in the transaction that produced the events, one pending row per
 * (message, enabled endpoint of that workspace and mode subscribed to its type). Messages nobody subscribes to are
 * not taken, so the outbox does not store them.
 */
export class DeliveryPlanner {
  /**
   * Endpoints an interest check read, kept for the plan that follows it in the same transaction (a click flush asks,
   * then enqueues): the plan uses them once instead of reading the same rows again.
   */
  private readonly readForPlan = new WeakMap<Knex.Transaction, Map<Mode, { workspaceIds: Set<string>; endpoints: Subscription[] }>>();

  constructor(
    private readonly store: DeliveryStore,
    private readonly subscriptionStore: WebhookSubscriptionStore,
    private readonly clock: Clock,
    private readonly onPlanned: (deliveries: DueDelivery[]) => void,
  ) {}

  readonly listener: OutboxListener = async (trx, messages, mode) => {
    const planned = await this.plan(trx, messages, mode);
    const taken = new Set(planned.map((delivery) => delivery.messageId));
    if (planned.length === 0) return taken;
    const now = this.clock.now().getTime();
    const due = await this.store.insert(trx, planned, now);
    afterCommit(trx, () => this.onPlanned(due));
    return taken;
  };

  /** The workspaces with an enabled endpoint subscribed to `type`. */
  readonly interest: OutboxInterest = async (trx, type, mode, workspaceIds) => {
    const endpoints = await this.subscriptions(trx, mode, workspaceIds);
    let read = this.readForPlan.get(trx);
    if (!read) this.readForPlan.set(trx, (read = new Map()));
    read.set(mode, { workspaceIds: new Set(workspaceIds), endpoints });
    return new Set(endpoints.filter((endpoint) => subscribes(endpoint.events, type)).map((endpoint) => endpoint.workspace_id));
  };

  private async subscriptions(trx: Knex.Transaction, mode: Mode, workspaceIds: string[]): Promise<Subscription[]> {
    const endpoints = await this.subscriptionStore.enabled(trx, mode, workspaceIds);
    return endpoints.map((endpoint) => ({ ...endpoint, events: parseJson<EventType[]>(endpoint.events, []) }));
  }

  private async subscriptionsToPlan(trx: Knex.Transaction, mode: Mode, workspaceIds: string[]): Promise<Subscription[]> {
    const read = this.readForPlan.get(trx)?.get(mode);
    this.readForPlan.get(trx)?.delete(mode);
    if (read && workspaceIds.every((id) => read.workspaceIds.has(id))) return read.endpoints.filter((endpoint) => workspaceIds.includes(endpoint.workspace_id));
    return this.subscriptions(trx, mode, workspaceIds);
  }

  private async plan(trx: Knex.Transaction, messages: EventMessage[], mode: Mode): Promise<NewDelivery[]> {
    const subscriptions = await this.subscriptionsToPlan(trx, mode, [...new Set(messages.map((message) => message.workspace_id))]);
    if (subscriptions.length === 0) return [];
    const now = this.clock.now().getTime();
    return messages.flatMap((message) =>
      subscriptions
        .filter((endpoint) => endpoint.workspace_id === message.workspace_id && subscribes(endpoint.events, message.type))
        .map((endpoint) => ({
          workspaceId: message.workspace_id,
          mode,
          endpointId: endpoint.id,
          messageId: message.id,
          eventType: message.type,
          attempt: 1,
          trigger: 'event' as const,
          scheduledAt: now,
        })),
    );
  }
}
