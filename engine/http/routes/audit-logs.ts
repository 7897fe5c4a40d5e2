import { listResponse } from '../../contracts/common';
import { auditLogEntry, listAuditLogsQuery, serializeAuditEntry } from '../../contracts/audit-logs';
import type { ApiServices } from './deps';
import { defineRoute } from '../route';

export const auditLogRoutes = ({ auditLogs }: ApiServices) => [
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
      const filter = {
        actions: filters.action,
        actorKeyId: filters.actor_key_id,
        actorUserId: filters.actor_user_id,
        actorType: filters.actor_type,
        resourceType: filters.resource_type,
        resourceId: filters.resource_id,
        since: filters.start?.getTime(),
        until: filters.end?.getTime(),
      };
      const page = await auditLogs.page(actor, filter, {
        limit,
        cursor,
        sort: 'created_at',
        order: 'desc',
        scope: `audit:${actor.workspaceId}:${actor.mode}:${JSON.stringify(filters)}`,
      });
      return {
        data: page.rows.map(serializeAuditEntry),
        pagination: { has_more: page.hasMore, cursor: page.cursor },
      };
    },
  }),
];
