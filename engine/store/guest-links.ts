import type { Knex } from 'knex';
import type { Mode } from './links';
import type { Transaction } from './transactions';

/** A guest link the sweeper must delete: past its expiry, or past the guest lifetime since it was made. */
export interface DueGuestLink {
  id: string;
  workspaceId: string;
  mode: Mode;
}

const SETTING = 'guest_workspace';

/** The SQL of guest links: which are due for deletion, and which workspace the engine made for them. */
export class GuestLinkStore {
  constructor(private readonly db: Knex) {}

  with(tx: Transaction): GuestLinkStore {
    return new GuestLinkStore(tx);
  }

  /** Oldest first, at most `limit`. */
  async due(now: number, createdBefore: number, limit: number): Promise<DueGuestLink[]> {
    const rows: Array<{ id: string; workspace_id: string; mode: Mode }> = await this.db('links')
      .where('guest', true)
      .andWhere((q) => q.where('created_at', '<=', createdBefore).orWhere('expires_at', '<=', now))
      .orderBy('created_at')
      .limit(limit)
      .select('id', 'workspace_id', 'mode');
    return rows.map((row) => ({ id: row.id, workspaceId: row.workspace_id, mode: row.mode }));
  }

  /** The workspace the engine made for guest links, if it made one. */
  async madeWorkspace(): Promise<string | null> {
    const row = await this.db('engine_settings').where({ key: SETTING }).first('value');
    return row ? (row.value as string) : null;
  }

  /**
   * Records `id` as the guest workspace unless one is recorded already (a concurrent first use waits for the first
   * writer's transaction, then leaves it be), and answers the recorded one.
   */
  async claimWorkspace(id: string): Promise<string> {
    await this.db('engine_settings').insert({ key: SETTING, value: id }).onConflict('key').ignore();
    return (await this.madeWorkspace()) as string;
  }
}
