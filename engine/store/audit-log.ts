import type { Knex } from 'knex';
import { parseJson } from './db';
import type { Mode } from './keys';
import type { Page, PageQuery, Paginator } from './pagination';

export type Changes = Record<string, { before: unknown; after: unknown }>;

export type AuditActorType = 'api_key' | 'user' | 'system';

export interface AuditLogEntry {
  id: string;
  workspaceId: string;
  mode: Mode;
  action: string;
  /** api_key: a request made with a key (`actorKeyId`); user: a signed-in user (`actorUserId`); system: the engine. */
  actorType: AuditActorType;
  actorKeyId: string | null;
  actorUserId: string | null;
  resourceType: string;
  resourceId: string | null;
  requestId: string | null;
  changes: Changes;
  createdAt: Date;
}

export interface AuditLogFilter {
  /** Exact actions (`key.created`) or whole families (`key.*`). */
  actions?: string[];
  actorKeyId?: string;
  actorUserId?: string;
  actorType?: AuditActorType;
  resourceType?: string;
  resourceId?: string;
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
}

interface AuditRow {
  id: string;
  workspace_id: string;
  mode: Mode;
  action: string;
  actor_type: AuditActorType;
  actor_key_id: string | null;
  actor_user_id: string | null;
  resource_type: string;
  resource_id: string | null;
  request_id: string | null;
  changes: string | null;
  created_at: number;
}

const INSERT_CHUNK = 200;

const toEntry = (row: AuditRow): AuditLogEntry => ({
  id: row.id,
  workspaceId: row.workspace_id,
  mode: row.mode,
  action: row.action,
  actorType: row.actor_type,
  actorKeyId: row.actor_key_id,
  actorUserId: row.actor_user_id ?? null,
  resourceType: row.resource_type,
  resourceId: row.resource_id,
  requestId: row.request_id,
  changes: parseJson(row.changes, {}),
  createdAt: new Date(row.created_at),
});

const toRow = (entry: AuditLogEntry): AuditRow => ({
  id: entry.id,
  workspace_id: entry.workspaceId,
  mode: entry.mode,
  action: entry.action,
  actor_type: entry.actorType,
  actor_key_id: entry.actorKeyId,
  actor_user_id: entry.actorUserId,
  resource_type: entry.resourceType,
  resource_id: entry.resourceId,
  request_id: entry.requestId,
  changes: JSON.stringify(entry.changes),
  created_at: entry.createdAt.getTime(),
});

/** The audit log (`audit_logs`): written with each change, in its transaction; read per workspace and mode. */
export class AuditLogStore {
  constructor(private readonly db: Knex) {}

  async insert(entries: AuditLogEntry[]): Promise<void> {
    const rows = entries.map(toRow);
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await this.db('audit_logs').insert(rows.slice(i, i + INSERT_CHUNK));
  }

  async page(paginator: Paginator, owner: { workspaceId: string; mode: Mode }, filter: AuditLogFilter, page: PageQuery): Promise<Page<AuditLogEntry>> {
    const query = this.db('audit_logs').where({ workspace_id: owner.workspaceId, mode: owner.mode });
    if (filter.actions?.length) {
      query.andWhere((any) => {
        for (const action of filter.actions ?? []) {
          if (action.endsWith('.*')) any.orWhereRaw(`?? like ? escape '\\'`, ['action', `${action.slice(0, -1).replace(/[\\%_]/g, '\\$&')}%`]);
          else any.orWhere('action', action);
        }
      });
    }
    if (filter.actorKeyId) query.andWhere('actor_key_id', filter.actorKeyId);
    if (filter.actorUserId) query.andWhere('actor_user_id', filter.actorUserId);
    if (filter.actorType) query.andWhere('actor_type', filter.actorType);
    if (filter.resourceType) query.andWhere('resource_type', filter.resourceType);
    if (filter.resourceId) query.andWhere('resource_id', filter.resourceId);
    if (filter.since !== undefined) query.andWhere('created_at', '>=', filter.since);
    if (filter.until !== undefined) query.andWhere('created_at', '<', filter.until);
    const found = await paginator.page<AuditRow>(query, page);
    return { ...found, rows: found.rows.map(toEntry) };
  }
}
