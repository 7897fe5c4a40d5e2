import type { Knex } from 'knex';

/** A stored event message; `payload` is exactly the body that will be signed and sent. */
export interface StoredEvent {
  id: string;
  workspaceId: string;
  mode: 'live' | 'test';
  type: string;
  payload: string;
  createdAt: number;
}

const INSERT_CHUNK = 200;

/** Event messages (`events`), written in the transaction of the change that caused them. */
export class EventStore {
  constructor(private readonly db: Knex) {}

  async insert(events: StoredEvent[]): Promise<void> {
    const rows = events.map((event) => ({
      id: event.id,
      workspace_id: event.workspaceId,
      mode: event.mode,
      type: event.type,
      payload: event.payload,
      created_at: event.createdAt,
    }));
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await this.db('events').insert(rows.slice(i, i + INSERT_CHUNK));
  }
}
