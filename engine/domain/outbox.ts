import type { Knex } from 'knex';
import { EventStore } from '../store/events';
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
  'lead.recorded',
  'sale.recorded',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface OutboxEvent {
  workspaceId: string;
  mode: Mode;
  type: EventType;
  data: Record<string, unknown>;
}

/** The message body sent to webhook endpoints, byte for byte as stored. */
export interface EventMessage {
  id: string;
  type: EventType;
  timestamp: string;
  workspace_id: string;
  data: Record<string, unknown>;
}

/**
 * Runs in the caller's transaction before the events are written. It answers the ids of the messages it took (for
 * which it wrote rows of its own), or nothing to have every message stored. A message nobody takes is not stored, so
 * frequent events nobody subscribes to (click.recorded) cost one read.
 */
export type OutboxListener = (trx: Knex.Transaction, messages: EventMessage[], mode: Mode) => Promise<ReadonlySet<string> | void>;

/** Which of `workspaceIds` (in `mode`) a listener would take `type` events of: asked before frequent events are built. */
export type OutboxInterest = (trx: Knex.Transaction, type: EventType, mode: Mode, workspaceIds: string[]) => Promise<ReadonlySet<string>>;

export const newMessage = (event: Omit<OutboxEvent, 'mode'>, at: Date): EventMessage => ({
  id: newId('msg', at.getTime()),
  type: event.type,
  timestamp: toIso(at) as string,
  workspace_id: event.workspaceId,
  data: event.data,
});

/** Writes messages to the `events` table, their payload being exactly the body that will be signed and sent. */
export async function storeMessages(trx: Knex | Knex.Transaction, messages: Array<{ message: EventMessage; mode: Mode }>, at: Date): Promise<void> {
  await new EventStore(trx).insert(
    messages.map(({ message, mode }) => ({
      id: message.id,
      workspaceId: message.workspace_id,
      mode,
      type: message.type,
      payload: JSON.stringify(message),
      createdAt: at.getTime(),
    })),
  );
}

/**
 * The transactional outbox: events are written inside the caller's transaction, so they exist exactly when the
 * change that caused them does. Listeners (the webhook delivery planner) run in that same transaction.
 */
export class Outbox {
  private readonly listeners: Array<{ take: OutboxListener; interest: OutboxInterest | null }> = [];

  /** `interest` lets producers of frequent events skip building those nobody takes; without it, everything is wanted. */
  onEvents(take: OutboxListener, interest: OutboxInterest | null = null): () => void {
    const listener = { take, interest };
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener), 1);
  }

  /** The workspaces, per mode, whose `type` events some listener takes; one read per mode and listener. */
  async wanted(trx: Knex.Transaction, type: EventType, owners: Iterable<{ workspaceId: string; mode: Mode }>): Promise<Record<Mode, Set<string>>> {
    const asked: Record<Mode, Set<string>> = { live: new Set(), test: new Set() };
    for (const { workspaceId, mode } of owners) asked[mode].add(workspaceId);
    const wanted: Record<Mode, Set<string>> = { live: new Set(), test: new Set() };
    for (const mode of ['live', 'test'] as const) {
      if (asked[mode].size === 0) continue;
      const workspaceIds = [...asked[mode]];
      for (const { interest } of this.listeners) {
        for (const workspaceId of interest ? await interest(trx, type, mode, workspaceIds) : workspaceIds) wanted[mode].add(workspaceId);
      }
    }
    return wanted;
  }

  /** Returns the messages that were stored: those at least one listener took. */
  async enqueue(trx: Knex.Transaction, events: OutboxEvent[], at: Date): Promise<EventMessage[]> {
    if (events.length === 0) return [];
    const messages = events.map((event) => newMessage(event, at));
    const kept = new Set<string>();
    for (const mode of ['live', 'test'] as const) {
      const ofMode = messages.filter((_, i) => events[i].mode === mode);
      if (ofMode.length === 0) continue;
      for (const { take } of this.listeners) {
        const taken = await take(trx, ofMode, mode);
        for (const message of taken ?? ofMode) kept.add(typeof message === 'string' ? message : message.id);
      }
    }
    const stored = messages.map((message, i) => ({ message, mode: events[i].mode })).filter(({ message }) => kept.has(message.id));
    await storeMessages(trx, stored, at);
    return stored.map(({ message }) => message);
  }
}
