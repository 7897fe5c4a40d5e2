import { listResponse } from '../../contracts/common';
import { auditLogEntry, listAuditLogsQuery } from '../../contracts/audit-logs';
import type { AuditLogEntry } from '../../domain/audit-logs';
import type { ApiServices } from './deps';
import { toIso } from '../../support/time';
import { defineRoute } from '../route';

const serializeAuditEntry = (entry: AuditLogEntry) => ({
  id: entry.id,
  action: entry.action,
  actor_type: entry.actorType as 'api_key' | 'user' | 'system',
  actor_key_id: entry.actorKeyId,
  actor_user_id: entry.actorUserId,
  resource_type: entry.resourceType,
  resource_id: entry.resourceId,
  request_id: entry.requestId,
  changes: entry.changes,
  created_at: toIso(entry.createdAt) as string,
});

export const auditLogRoutes = ({ auditLogs, paginator }: ApiServices) => [
  defineRoute({
    method: 'get',
    path: '/audit-logs',
    scope: 'admin',
    tag: 'Audit log',
    summary: 'List audit log entries',
    description:
      'Every change made through the API and every automatic action of the engine in the calling key’s workspace and ' +
      'mode, newest first, each with the acting key, the request id and a before/after diff of the changed fields.',
    query: listAuditLogsQuery,
    response: listResponse(auditLogEntry),
    async handler({ query, actor }) {
      const { limit, cursor, ...filters } = query;
      const builder = auditLogs.listQuery(actor, {
        actions: filters.action,
        actorKeyId: filters.actor_key_id,
        actorUserId: filters.actor_user_id,
        actorType: filters.actor_type,
        resourceType: filters.resource_type,
        resourceId: filters.resource_id,
        since: filters.start?.getTime(),
        until: filters.end?.getTime(),
      });
      const page = await paginator.page<{ id: string }>(builder, {
        limit,
        cursor,
        sort: 'created_at',
        order: 'desc',
        scope: `audit:${actor.workspaceId}:${actor.mode}:${JSON.stringify(filters)}`,
      });
      return {
        data: page.rows.map((row) => serializeAuditEntry(auditLogs.fromRow(row))),
        pagination: { has_more: page.hasMore, cursor: page.cursor },
      };
    },
  }),
];
