import type { Knex } from 'knex';
import { ApiError, notFound } from '../support/errors';
import { newId } from '../support/ids';
import type { Clock } from '../support/time';
import { isUniqueViolation } from '../store/db';

export interface Workspace {
  id: string;
  name: string;
  defaultDomain: string;
  createdAt: Date;
}

interface WorkspaceRow {
  id: string;
  name: string;
  default_domain: string | null;
  created_at: number;
}

export class WorkspaceService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly instanceDomain: string,
  ) {}

  private toWorkspace(row: WorkspaceRow): Workspace {
    return {
      id: row.id,
      name: row.name,
      defaultDomain: row.default_domain ?? this.instanceDomain,
      createdAt: new Date(row.created_at),
    };
  }

  /** Creates a workspace; with `domain`, that custom domain is created too and becomes its default. */
  async create(input: { name: string; domain?: string }, trx: Knex = this.db): Promise<Workspace> {
    const now = this.clock.now().getTime();
    const id = newId('ws', now);
    const hostname = input.domain?.toLowerCase();
    try {
      await trx.transaction(async (t) => {
        await t('workspaces').insert({ id, name: input.name, default_domain: hostname ?? null, created_at: now, updated_at: now });
        if (hostname && hostname !== this.instanceDomain) {
          await t('domains').insert({
            id: newId('dom', now),
            workspace_id: id,
            hostname,
            secure: !isLocalHost(hostname),
            is_default: true,
            created_at: now,
          });
        }
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ApiError('conflict', `The domain ${hostname} belongs to another workspace.`);
      throw error;
    }
    return (await this.find(id, trx)) as Workspace;
  }

  async find(id: string, trx: Knex = this.db): Promise<Workspace | null> {
    const row = await trx<WorkspaceRow>('workspaces').where({ id }).first();
    return row ? this.toWorkspace(row) : null;
  }

  async list(): Promise<Workspace[]> {
    const rows = await this.db<WorkspaceRow>('workspaces').orderBy('id');
    return rows.map((row) => this.toWorkspace(row));
  }

  async count(): Promise<number> {
    const [{ n }] = await this.db('workspaces').count({ n: '*' });
    return Number(n);
  }
}

export const isLocalHost = (hostname: string): boolean =>
  /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(hostname.toLowerCase());

/**
 * Locks a workspace row for the rest of the transaction (Postgres; SQLite transactions are serial already), so changes
 * to one workspace's settings, members and plan-limited links happen one at a time. FOR NO KEY UPDATE: inserts that
 * merely reference the workspace (their foreign-key check) never wait on it.
 */
export async function lockWorkspace(trx: Knex.Transaction, workspaceId: string): Promise<void> {
  const row = await trx('workspaces').where({ id: workspaceId }).forNoKeyUpdate().first('id');
  if (!row) throw notFound('Workspace');
}
