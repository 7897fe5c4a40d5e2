import type { Knex } from 'knex';
import { newId } from '../support/ids';
import { toIso } from '../support/time';
import type { Mode } from './scopes';

export const EVENT_TYPES = [
  'link.created',
  'link.updated',
  'link.deleted',
  'click.recorded',
  'page.published',
  'subscription.updated',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface OutboxEvent {
  workspaceId: string;
  mode: Mode;
  type: EventType;
  data: Record<string, unknown>;
}

export interface EventMessage {
  id: string;
  type: EventType;
  timestamp: string;
  workspace_id: string;
  data: Record<string, unknown>;
}

export type OutboxListener = (trx: Knex.Transaction, messages: EventMessage[], mode: Mode) => Promise<void>;

/**
 * The transactional outbox: events are written inside the caller's transaction, so they exist exactly when the
 * change that caused them does. Listeners (the webhook delivery planner) run in that same transaction.
 */
export class Outbox {
  private readonly listeners: OutboxListener[] = [];

  onEvents(listener: OutboxListener): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener), 1);
  }

  async enqueue(trx: Knex.Transaction, events: OutboxEvent[], at: Date): Promise<EventMessage[]> {
    if (events.length === 0) return [];
    const timestamp = toIso(at) as string;
    const messages: EventMessage[] = events.map((event) => ({
      id: newId('msg', at.getTime()),
      type: event.type,
      timestamp,
      workspace_id: event.workspaceId,
      data: event.data,
    }));
    const rows = messages.map((message, i) => ({
      id: message.id,
      workspace_id: message.workspace_id,
      mode: events[i].mode,
      type: message.type,
      payload: JSON.stringify(message),
      created_at: at.getTime(),
    }));
    for (let i = 0; i < rows.length; i += 200) await trx('events').insert(rows.slice(i, i + 200));
    for (const mode of ['live', 'test'] as const) {
      const ofMode = messages.filter((_, i) => events[i].mode === mode);
      if (ofMode.length) for (const listener of this.listeners) await listener(trx, ofMode, mode);
    }
    return messages;
  }
}
