import type { Knex } from 'knex';
import { parseJson } from '../store/db';
import type { Actor } from './actor';

export interface AuditLogFilter {
  /** Exact actions (`key.created`) or whole families (`key.*`). */
  actions?: string[];
  actorKeyId?: string;
  actorType?: 'api_key' | 'user' | 'system';
  actorUserId?: string;
  resourceType?: string;
  resourceId?: string;
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
}

export interface AuditLogEntry {
  id: string;
  action: string;
  actorType: string;
  actorKeyId: string | null;
  actorUserId: string | null;
  resourceType: string;
  resourceId: string | null;
  requestId: string | null;
  changes: Record<string, { before: unknown; after: unknown }>;
  createdAt: Date;
}

interface AuditRow {
  id: string;
  action: string;
  actor_type: string;
  actor_key_id: string | null;
  actor_user_id: string | null;
  resource_type: string;
  resource_id: string | null;
  request_id: string | null;
  changes: string | null;
  created_at: number;
}

/** Reads the audit log of one workspace and mode; entries are written by `recordAudit` with each change. */
export class AuditLogs {
  constructor(private readonly db: Knex) {}

  listQuery(actor: Actor, filter: AuditLogFilter): Knex.QueryBuilder {
    const query = this.db('audit_logs').where({ workspace_id: actor.workspaceId, mode: actor.mode });
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
    return query;
  }

  fromRow = (row: unknown): AuditLogEntry => {
    const r = row as AuditRow;
    return {
      id: r.id,
      action: r.action,
      actorType: r.actor_type,
      actorKeyId: r.actor_key_id,
      actorUserId: r.actor_user_id ?? null,
      resourceType: r.resource_type,
      resourceId: r.resource_id,
      requestId: r.request_id,
      changes: parseJson(r.changes, {}),
      createdAt: new Date(r.created_at),
    };
  };
}
