import type { Knex } from 'knex';
import type { TransactionRunner } from '../store/transactions';
import type { Actor } from '../domain/actor';
import { recordAudit } from '../domain/audit';
import { newMessage, storeMessages, type EventType } from '../domain/outbox';
import type { Mode } from '../domain/scopes';
import { asBool, parseJson } from '../store/db';
import { ApiError, notFound } from '../support/errors';
import { toIso, type Clock } from '../support/time';
import type { DeliveryRow, DeliveryStatus, DeliveryStore, DueDelivery } from '../store/webhook-deliveries';
import { EVENT_WILDCARD, type EndpointRow, type EndpointService } from './endpoints';
import { exampleData } from './examples';

interface Owner {
  workspaceId: string;
  mode: Mode;
}

export interface DeliveryFilters {
  status?: DeliveryStatus;
  messageId?: string;
  eventType?: string;
  /** Epoch milliseconds, inclusive. */
  createdAfter?: number;
  /** Epoch milliseconds, exclusive. */
  createdBefore?: number;
}

function assertEnabled(endpoint: EndpointRow): void {
  if (!asBool(endpoint.enabled)) throw new ApiError('conflict', 'The webhook is disabled; enable it (PATCH enabled: true) first.');
}

/** The delivery log of an endpoint, replays and test messages. */
export class DeliveryService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly endpoints: EndpointService,
    private readonly store: DeliveryStore,
    private readonly notify: (deliveries: DueDelivery[]) => void,
  ) {}

 /**
   * The attempts of one endpoint of this owner, as a query for the paginator (404 for another owner's endpoint).
   * Wrapped, because a query builder is thenable: returned bare from an async function it would run.
   */
  async listQuery(owner: Owner, endpointId: string, filters: DeliveryFilters): Promise<{ query: Knex.QueryBuilder }> {
    await this.endpoints.findRow(owner, endpointId);
    return { query: this.store.listQuery(owner, endpointId, filters) };
  }

  async get(owner: Owner, endpointId: string, deliveryId: string): Promise<{ delivery: DeliveryRow; payload: unknown }> {
    await this.endpoints.findRow(owner, endpointId);
    const delivery = await this.store.find(endpointId, deliveryId);
    if (!delivery) throw notFound('Delivery');
    return { delivery, payload: parseJson(await this.store.payloadOf(delivery.message_id), null) };
  }

  /** Sends the delivery's message again, with the same `webhook-id` and body, as a new delivery with its own retries. */
  async replay(actor: Actor, endpointId: string, deliveryId: string): Promise<DeliveryRow> {
    const now = this.clock.now();
    const [row, due] = await this.transactions.run(async (trx) => {
      const endpoint = await this.endpoints.findRow(actor, endpointId, trx);
      const original = await this.store.find(endpointId, deliveryId, trx);
      if (!original) throw notFound('Delivery');
      assertEnabled(endpoint);
      const [queued] = await this.store.insert(trx, [{
        workspaceId: actor.workspaceId,
        mode: actor.mode,
        endpointId,
        messageId: original.message_id,
        eventType: original.event_type,
        attempt: 1,
        trigger: 'replay',
        replayOf: original.id,
        scheduledAt: now.getTime(),
      }], now.getTime());
      await recordAudit(trx, actor, { action: 'webhook.delivery_replayed', resourceType: 'webhook_endpoint', resourceId: endpointId, after: { delivery_id: queued.id, replay_of: original.id, message_id: original.message_id } }, now);
      return [await this.store.read(trx, queued.id), queued] as const;
    });
    this.notify([due]);
    return row;
  }

  /** Sends an example message of `type` to this endpoint only; one attempt, no retries, no effect on its health. */
  async sendTest(actor: Actor, endpointId: string, type: EventType | undefined): Promise<DeliveryRow> {
    const now = this.clock.now();
    const [row, due] = await this.transactions.run(async (trx) => {
      const endpoint = await this.endpoints.findRow(actor, endpointId, trx);
      assertEnabled(endpoint);
      const subscribed = parseJson<string[]>(endpoint.events, []).filter((event) => event !== EVENT_WILDCARD);
      const eventType = type ?? (subscribed[0] as EventType | undefined) ?? 'link.created';
      const message = newMessage({ workspaceId: actor.workspaceId, type: eventType, data: exampleData(eventType, toIso(now) as string) }, now);
      await storeMessages(trx, [{ message, mode: actor.mode }], now);
      const [queued] = await this.store.insert(trx, [{
        workspaceId: actor.workspaceId,
        mode: actor.mode,
        endpointId,
        messageId: message.id,
        eventType,
        attempt: 1,
        trigger: 'test',
        scheduledAt: now.getTime(),
      }], now.getTime());
      await recordAudit(trx, actor, { action: 'webhook.test_sent', resourceType: 'webhook_endpoint', resourceId: endpointId, after: { delivery_id: queued.id, message_id: message.id, type: eventType } }, now);
      return [await this.store.read(trx, queued.id), queued] as const;
    });
    this.notify([due]);
    return row;
  }
}
