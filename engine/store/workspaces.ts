import type { Knex } from 'knex';
import { notFound } from '../support/errors';
import type { Transaction } from './transactions';

/** A workspace's plan. A null limit is no limit; a null rate limit is the instance default. */
export interface WorkspacePlan {
  name: string;
  maxLinks: number | null;
  maxClicksPerMonth: number | null;
  rateLimitPerKey: number | null;
}

export interface WorkspaceRecord {
  id: string;
  name: string;
  /** A custom domain of the workspace; null: the instance domain. */
  defaultDomain: string | null;
  plan: WorkspacePlan;
  createdAt: Date;
  updatedAt: Date;
}

/** A new workspace starts on the plan the schema gives it. */
export type NewWorkspace = Omit<WorkspaceRecord, 'plan'>;

export type WorkspaceChanges = Partial<Pick<WorkspaceRecord, 'name' | 'defaultDomain' | 'plan' | 'updatedAt'>>;

interface WorkspaceRow {
  id: string;
  name: string;
  default_domain: string | null;
  plan_name: string;
  plan_max_links: number | null;
  plan_max_clicks_per_month: number | string | null;
  /** Migration 005's per-workspace rate limit, read by the API guard (engine/ratelimit/key-limits.ts). */
  rate_limit: number | null;
  created_at: number;
  updated_at: number;
}

const orNull = (value: number | string | null): number | null => (value === null ? null : Number(value));

const toWorkspace = (row: WorkspaceRow): WorkspaceRecord => ({
  id: row.id,
  name: row.name,
  defaultDomain: row.default_domain,
  plan: {
    name: row.plan_name,
    maxLinks: orNull(row.plan_max_links),
    maxClicksPerMonth: orNull(row.plan_max_clicks_per_month),
    rateLimitPerKey: orNull(row.rate_limit),
  },
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

/** Workspaces (`workspaces`): name, default domain and plan. */
export class WorkspaceStore {
  constructor(private readonly db: Knex) {}

  with(tx: Transaction): WorkspaceStore {
    return new WorkspaceStore(tx);
  }

  async insert(workspace: NewWorkspace): Promise<void> {
    await this.db('workspaces').insert({
      id: workspace.id,
      name: workspace.name,
      default_domain: workspace.defaultDomain,
      created_at: workspace.createdAt.getTime(),
      updated_at: workspace.updatedAt.getTime(),
    });
  }

  async find(id: string): Promise<WorkspaceRecord | undefined> {
    const row = await this.db<WorkspaceRow>('workspaces').where({ id }).first();
    return row && toWorkspace(row);
  }

  /**
   * As `find`, locking the row for the rest of the transaction (Postgres; SQLite transactions are serial already).
   * FOR NO KEY UPDATE: inserts that merely reference the workspace (their foreign-key check) never wait on it.
   */
  async findForUpdate(id: string): Promise<WorkspaceRecord | undefined> {
    const row = await this.db<WorkspaceRow>('workspaces').where({ id }).forNoKeyUpdate().first();
    return row && toWorkspace(row);
  }

  /**
   * Locks the workspace row (as `findForUpdate`), so changes to one workspace's settings, members and plan-limited
   * links happen one at a time; 404 when there is no such workspace.
   */
  async lock(id: string): Promise<void> {
    const row = await this.db('workspaces').where({ id }).forNoKeyUpdate().first('id');
    if (!row) throw notFound('Workspace');
  }

  /** Every workspace, oldest first. */
  async list(): Promise<WorkspaceRecord[]> {
    return (await this.db<WorkspaceRow>('workspaces').orderBy('id')).map(toWorkspace);
  }

  /** The workspace's own per-key rate limit (requests per minute); null when it has none or does not exist. */
  async rateLimitOf(id: string): Promise<number | null> {
    const row = await this.db('workspaces').select('rate_limit').where({ id }).first();
    return (row?.rate_limit as number | null | undefined) ?? null;
  }

  /** The workspace's name; undefined when it does not exist. */
  async nameOf(id: string | null): Promise<string | undefined> {
    const row = await this.db('workspaces').where({ id }).first('name');
    return row ? (row.name as string) : undefined;
  }

  async count(): Promise<number> {
    const [{ n }] = await this.db('workspaces').count({ n: '*' });
    return Number(n);
  }

  /** Writes the fields `changes` gives (knex leaves out columns whose value is undefined). */
  async update(id: string, changes: WorkspaceChanges): Promise<void> {
    const { plan } = changes;
    await this.db('workspaces')
      .where({ id })
      .update({
        name: changes.name,
        default_domain: changes.defaultDomain,
        updated_at: changes.updatedAt?.getTime(),
        plan_name: plan?.name,
        plan_max_links: plan?.maxLinks,
        plan_max_clicks_per_month: plan?.maxClicksPerMonth,
        rate_limit: plan?.rateLimitPerKey,
      });
  }
}
